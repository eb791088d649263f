"""What reading a workbook found: the figures, where each came from, and every problem.

Problems are collected, never raised one at a time: the district sees them all in one list,
each with its sheet and cell, grouped as 必须修改 (the workbook cannot be accepted until the
office fixes it) and 请核对 (the district must look, and confirm those that ask for it —
a misprinted label read as the official one, a title naming another office or year).
"""

from dataclasses import dataclass, field

from .sheets import Place

MUST_FIX, CHECK = "must_fix", "check"
SEVERITY_LABELS = {MUST_FIX: "必须修改", CHECK: "请核对"}
LABEL, TITLE_OFFICE, TITLE_YEAR, DISAGREEMENT = "label", "title_office", "title_year", "sum"
SECTION_FIVE = "section_five"


class TableNotFound(Exception):
    """A label the reader needs is missing; the message says which and where to look."""

    def __init__(self, message, place=None):
        super().__init__(message)
        self.place = place


@dataclass
class Problem:
    severity: str
    message: str
    place: Place = None
    kind: str = ""
    confirm: str = ""  # what the district confirms by accepting; empty if nothing to confirm
    refs: list = field(default_factory=list)  # every cell of a sum that does not agree
    title: str = ""  # for a sum that does not agree: the check, and its figures
    detail: str = ""

    @property
    def severity_label(self):
        return SEVERITY_LABELS[self.severity]

    @property
    def sheet(self):
        return self.place.sheet if self.place else ""

    @property
    def cells(self):
        """The cell (or cells) the problem is about, as the district reads them."""
        if self.refs:
            return "、".join(self.refs)
        return self.place.cell if self.place else ""

    def as_json(self):
        return {
            "severity": self.severity,
            "kind": self.kind,
            "sheet": self.sheet,
            "cell": self.cells,
            "row": self.place.row if self.place else None,
            "col": self.place.col if self.place else None,
            "refs": list(self.refs),
            "message": self.message,
            "confirm": self.confirm,
            "title": self.title,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, data):
        place = Place(data["sheet"], data["row"], data["col"]) if data.get("row") else None
        return cls(
            data["severity"],
            data["message"],
            place,
            data.get("kind", ""),
            data.get("confirm", ""),
            data.get("refs", []),
            data.get("title", ""),
            data.get("detail", ""),
        )


def grouped(problems):
    """[(group label, [Problem])]: 必须修改 then 请核对, empty groups left out."""
    return [
        (SEVERITY_LABELS[severity], found)
        for severity in (MUST_FIX, CHECK)
        if (found := [problem for problem in problems if problem.severity == severity])
    ]


@dataclass
class Reading:
    """What was read from a workbook: the figures, where each came from, and any problems."""

    report: object = None  # reports.figures.tables.AnnualReport, once everything read
    cells: dict = field(default_factory=dict)  # (table, row code, column code) -> Place
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    legacy_six: bool = False
    title: str = ""
    texts: list = field(default_factory=list)  # (cell reference, text) of the report's text

    def ref(self, key):
        place = self.cells.get(tuple(key))
        return place.ref if place else ""

    def must_fix(self, message, place=None, kind=""):
        self.problems.append(Problem(MUST_FIX, message, place, kind))

    def check(self, message, place=None, kind="", confirm=""):
        self.problems.append(Problem(CHECK, message, place, kind, confirm))

    @property
    def errors(self):
        """The must-fix problems' messages (each names its cell)."""
        return [problem.message for problem in self.problems if problem.severity == MUST_FIX]

    @property
    def confirmations(self):
        return [problem for problem in self.problems if problem.confirm]

    def grouped(self):
        return grouped(self.problems)
