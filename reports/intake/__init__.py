"""Intake of an annual report workbook from an office that does not use gongkai (报送).

A district official uploads the workbook an office sent: gongkai's own export, or one
filled in by hand in any of the layouts offices use, tables anywhere in any sheet.
gongkai finds tables 二, 三 and 四 by their LABELS (never by fixed cells), reads the
figures next to them, runs the same checks as for a report from the ledger and lists every
problem at once, each with its sheet and cell, as 必须修改 or 请核对. Nothing is stored
until the upload reads cleanly; it is counted in the district's rollup only once accepted,
with the district's explicit confirmation of every reading it was asked to confirm.

Upload safety is the one guard of lib/uploads.py and lib/workbooks.py, with INTAKE_LIMITS:
the form checks the size and the zip's directory; sheets.Workbook streams and checks every
XML part once (SafeWorkbook) and reads the cells.

It runs in the task worker (jobs: the upload stored and queued, read and checked in
stages, the file removed at once); accepting stays a normal request.

Modules: sheets (the bounded cells of a workbook), matching (labels and proposals, rows and
columns), numbers, table_two / table_three / table_four, title (office, year, section 五,
fees), reading (all of it), checking (the checks, explained for a workbook), preview
(pending, accept), jobs (the background job).

The 2019 format had a single row （六）其他处理 where the 2021 format has three items
1.逾期不补正 / 2.逾期未缴费 / 3.其他. A workbook with that single row and none of the
three items is accepted: its figures are read as 3.其他 (6.3), with 6.1 and 6.2 at 0,
and the preview says so. A workbook with some but not all of the three items is refused.
"""

from .checking import BLOCKING, blocking, disagreements, intake_checks, last_year_figures
from .preview import Preview, accept, preview, store_pending, unconfirmed
from .problems import CHECK, MUST_FIX, Problem, Reading
from .reading import read_workbook
from .sheets import Place, Workbook, quote_sheet

__all__ = [
    "BLOCKING",
    "CHECK",
    "MUST_FIX",
    "Place",
    "Preview",
    "Problem",
    "Reading",
    "Workbook",
    "accept",
    "blocking",
    "disagreements",
    "intake_checks",
    "last_year_figures",
    "preview",
    "quote_sheet",
    "read_workbook",
    "store_pending",
    "unconfirmed",
]
