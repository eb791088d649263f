"""Reading a workbook's tables 二, 三 and 四 and what is around them, collecting every problem."""

from lib.uploads import UploadRejected

from ..figures.tables import AnnualReport
from .problems import Reading, TableNotFound
from .sheets import Workbook
from .table_four import read_table_four
from .table_three import read_table_three
from .table_two import read_table_two
from .title import check_section_five, compare_title, narrative_cells, read_fees

TABLES = (("表二", read_table_two), ("表三", read_table_three), ("表四", read_table_four))


def read_workbook(data, year, organization=None, filename=None):
    """Read tables 二, 三 and 四 of a workbook's bytes by their labels. Every problem found
    is in `reading.problems` (a file the upload guard refuses is one, in its words);
    `reading.report` is set when nothing must be fixed."""
    reading = Reading()
    try:
        book = Workbook(data, filename)
    except UploadRejected as rejected:
        reading.must_fix(str(rejected))
        return reading
    try:
        _read_tables(book, reading, year, organization)
    finally:
        book.close()
    return reading


def _read_tables(book, reading, year, organization):
    """Tables 二, 三 and 四, the title, the fees and the text cells, into `reading`."""
    read, sources = {}, []
    for name, reader in TABLES:
        try:
            read[name], sheet = reader(book, reading)
            sources.append(f"{name}读自工作表“{sheet}”")
        except TableNotFound as missing:
            reading.must_fix(str(missing), missing.place)
    compare_title(book, reading, organization, year)
    check_section_five(book, reading)
    fees = read_fees(book, reading)
    reading.texts = narrative_cells(book)
    if sources:
        reading.notes.insert(0, "，".join(sources) + "。")
    if not reading.errors:
        reading.report = AnnualReport(year, read["表二"], read["表三"], read["表四"], fees)
