"""The default .docx template of each letter kind, built from letters/kinds.py.

The usual layout of a Chinese official letter (GB/T 9704 proportions) on A4: the office
and the title centred, the 文号 on the right, the addressee, the body with a two-character
indent, the relief sentence, then the seal space, the office name and the date on the
right. The text is the kind's wording with its docxtpl placeholders, so the file an
office downloads, edits in Word and uploads again is an ordinary template.
"""

import io
from functools import cache

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

A4_WIDTH, A4_HEIGHT = Cm(21.0), Cm(29.7)
BODY_FONT, TITLE_FONT = "仿宋", "宋体"
BODY_SIZE, TITLE_SIZE = Pt(16), Pt(22)  # 三号, 二号


def set_font(run, name, size, bold=False):
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def add_line(document, text, align=None, size=BODY_SIZE, font=BODY_FONT, bold=False, indent=False):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)
    if indent:
        fmt.first_line_indent = Pt(32)
    set_font(paragraph.add_run(text), font, size, bold)
    return paragraph


def build(kind):
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    core = document.core_properties
    core.title, core.author = kind.title, "gongkai"

    add_line(document, "{{ office_name }}", WD_ALIGN_PARAGRAPH.CENTER, TITLE_SIZE, TITLE_FONT)
    add_line(document, "{{ title }}", WD_ALIGN_PARAGRAPH.CENTER, TITLE_SIZE, TITLE_FONT)
    add_line(document, "")
    add_line(document, "{{ doc_number }}", WD_ALIGN_PARAGRAPH.RIGHT)
    add_line(document, "")
    add_line(document, "{{ addressee }}：")
    for text in kind.body:
        add_line(document, text, indent=True)
    if kind.has_relief:
        add_line(document, "{{ relief }}", indent=True)
    add_line(document, "特此告知。", indent=True)
    for _ in range(3):
        add_line(document, "")
    add_line(document, "（印章）", WD_ALIGN_PARAGRAPH.RIGHT)
    add_line(document, "{{ office_name }}", WD_ALIGN_PARAGRAPH.RIGHT)
    add_line(document, "{{ letter_date }}", WD_ALIGN_PARAGRAPH.RIGHT)
    return document


def default_template_bytes(code):
    """The default template of a kind, built once per process."""
    return _default_template_bytes(str(code))


@cache
def _default_template_bytes(code):
    from .kinds import KINDS

    buffer = io.BytesIO()
    build(KINDS[code]).save(buffer)
    return buffer.getvalue()
