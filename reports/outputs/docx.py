"""The annual report as a Word document (.docx), ready to publish.

Sections 一 to 六 with the narrative, and tables 二, 三 and 四 drawn from the same grids as
the page and the workbook (reports.figures.tables), with their merged header cells and borders.
Fonts are named, never embedded: 仿宋_GB2312 for the text, 黑体 and 楷体_GB2312 for the
headings, 宋体 for the title and the tables, each set for East Asian text (w:eastAsia) so
that Word and WPS use them for Chinese characters. A4 portrait, margins of GB/T 9704.

Implements docs/report-format.md §Sections to §Table 四 (the layout).
"""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, Twips
from docx.table import _Cell

from ..figures.tables import SECTION_TITLES, paragraphs
from ..models import overview
from .grid import report_grids
from .xlsx import grid_widths, report_title

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PART_FONT = "楷体_GB2312"
TITLE_FONT = "宋体"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
LINE = Pt(28)  # fixed line spacing: about 22 lines to an A4 page, as in official documents
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
# Table 四 has fifteen figure columns; in portrait each is about 10 mm, enough at 9 pt.
TABLE_SIZES = {"二": Pt(10.5), "三": Pt(9), "四": Pt(9)}
MAX_LABEL_UNITS = 30
TALL_LABEL_UNITS = 12


def set_fonts(run_or_style, name, size=None, bold=None):
    """Name the font for Latin and for East Asian text; Word picks the eastAsia one for Chinese."""
    font = run_or_style.font
    font.name = LATIN_FONT if name != HEADING_FONT else name
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    r_pr = run_or_style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)
    return run_or_style


def _run(paragraph, text, font=BODY_FONT, size=BODY_SIZE, bold=None):
    return set_fonts(paragraph.add_run(text), font, size, bold)


def _paragraph(
    document,
    text="",
    font=BODY_FONT,
    size=BODY_SIZE,
    bold=None,
    indent=True,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
):
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(size.pt * 2) if indent else None
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE if size <= BODY_SIZE else Pt(size.pt * 1.5)
    fmt.space_before = fmt.space_after = Pt(0)
    if text:
        _run(paragraph, text, font, size, bold)
    return paragraph


def _page(section, landscape=False):
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    )
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)


def _text_width(section):
    return Length(section.page_width - section.left_margin - section.right_margin)


def _page_number_footer(section):
    """— 1 — centred at the foot of each page (a PAGE field, so Word numbers the pages)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", TITLE_FONT, Pt(14))
    run = _run(paragraph, "", TITLE_FONT, Pt(14))
    for kind, text in (
        ("begin", None),
        (None, "PAGE"),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    _run(paragraph, " —", TITLE_FONT, Pt(14))


def _borders(table):
    """Single black lines round every cell, whatever the table style does."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "000000")):
            element.set(qn(f"w:{key}"), value)
        borders.append(element)
    properties.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "57")  # 1 mm
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)


def _row_flags(row, header):
    """Rows never split across pages; header rows repeat on each page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _fixed_layout(table):
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def _column_units(grid):
    """Relative column widths: the workbook's, with label columns at most 30 units (long
    labels wrap) and columns of tall merged labels (三、本年度办理结果, （三）不予公开) wide
    enough for four characters a line."""
    units = [min(unit, MAX_LABEL_UNITS) for unit in grid_widths(grid)]
    for cell in grid.cells():
        if cell.rowspan > 1 and cell.colspan == 1 and not cell.header:
            units[cell.col] = max(units[cell.col], TALL_LABEL_UNITS)
    return units


def _keep_together(table):
    """Keep a table on one page where it fits: every row but the last keeps with the next.

    Walks the cell elements of each row once (row.cells would rebuild the table's cell list
    for every row)."""
    for tr in table._tbl.tr_lst[:-1]:
        for tc in tr.tc_lst:
            for paragraph in _Cell(tc, table).paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def add_grid(document, grid, width, size):
    """Draw one table of the report from its grid: cells, merges, borders, widths."""
    table = document.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_layout(table)
    _borders(table)
    units = _column_units(grid)
    # Whole twips (Word's unit), rounded down so that the columns never exceed the margins.
    columns = [Twips(int(width.twips * unit / sum(units))) for unit in units]
    # The cells are read once, before any merge: table.cell() would rebuild the whole cell
    # list on every call (quadratic). A merge only changes the cells inside its own span,
    # so the top-left cell of every grid cell stays where it was read.
    cells = table._cells
    for index, column_width in enumerate(columns):
        table.columns[index].width = column_width
        for cell in cells[index :: grid.width]:
            cell.width = column_width
    for index, row in enumerate(table.rows):
        _row_flags(row, header=index < grid.head_rows)
    for cell in grid.cells():
        target = cells[cell.row * grid.width + cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            last_row, last_col = cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1
            target = target.merge(cells[last_row * grid.width + last_col])
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        centred = cell.header or cell.kind in ("number", "money")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(1)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _run(paragraph, cell.display, TABLE_FONT, size)
    _keep_together(table)
    return table


def _defaults(document):
    normal = document.styles["Normal"]
    set_fonts(normal, BODY_FONT, BODY_SIZE)
    r_pr = normal.element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    r_pr.append(language)
    table_style = document.styles["Table Grid"]
    set_fonts(table_style, TABLE_FONT)


def build_document(organization_name, report, narrative, note=""):
    """The whole report as .docx bytes.

    `narrative` is a dict as ReportNarrative.as_json() gives (possibly empty); `note` (what
    this file is: generated from the ledger on a date, or signed-off version N) goes in the
    document's properties, not on the page, so the document can be published as it is.
    """
    document = Document()
    _defaults(document)
    section = document.sections[0]
    _page(section)
    _page_number_footer(section)
    width = _text_width(section)

    title = _paragraph(document, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(title, organization_name, TITLE_FONT, TITLE_SIZE, bold=True)
    title.add_run().add_break()
    _run(title, report_title("", report.year), TITLE_FONT, TITLE_SIZE, bold=True)
    title.paragraph_format.space_after = Pt(16)

    def heading(text, new_page=False):
        fmt = _paragraph(document, text, HEADING_FONT).paragraph_format
        fmt.keep_with_next = True
        fmt.page_break_before = new_page

    def texts(text):
        lines = paragraphs(text)
        for line in lines or ["无"]:
            _paragraph(document, line)

    def part(text):
        _paragraph(document, text, PART_FONT).paragraph_format.keep_with_next = True

    heading(SECTION_TITLES["one"])
    opening, parts = overview(narrative)
    for line in paragraphs(opening):
        _paragraph(document, line)
    for lead_in, text in parts:
        part(lead_in)
        texts(text)
    grids = report_grids(report)
    for key, grid in zip(("two", "three", "four"), grids, strict=False):
        # Table 三 takes most of a page: it starts on its own page rather than split.
        heading(SECTION_TITLES[key], new_page=(key == "three"))
        add_grid(document, grid, width, TABLE_SIZES[SECTION_TITLES[key][0]])
    heading(SECTION_TITLES["five"])
    texts(narrative.get("problems"))
    heading(SECTION_TITLES["six"])
    _paragraph(document, report.fees.sentence)
    for line in paragraphs(narrative.get("other_matters")):
        _paragraph(document, line)

    properties = document.core_properties
    properties.title = report_title(organization_name, report.year)
    properties.author = organization_name
    properties.comments = note
    properties.language = "zh-CN"
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
