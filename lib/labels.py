"""The one way gongkai compares a label typed in a workbook with the label it expects.

People type labels in Excel or WPS with full- or half-width brackets and digits, spaces
and line breaks inside, quotation marks of any kind, and "1、" or "1．" for "1.". Every
reader of a workbook (the ledger import, the district's intake) compares `label_key()`s,
never raw text, so that the same spelling is accepted everywhere.

`nearest_label()` proposes the official label a misprinted one was meant to be (edit
distance over the known labels); the caller shows the proposal for a person to confirm,
never uses it silently.
"""

import re
import unicodedata
from collections.abc import Iterable

QUOTES = str.maketrans("", "", "“”„‟\"'‘’「」『』")
# A proposal is made only when at most this share of the label differs.
MAX_DIFFERENCE = 1 / 3


def label_key(text: object) -> str:
    """A label as compared: NFKC (full-width brackets, digits and commas as half-width), no
    spaces, line breaks or quotation marks, "1、" / "1。" read as "1.", "3。1" as "3.1"."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).translate(QUOTES)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(\d)[。、](?=\d)", r"\1.", text)
    return re.sub(r"^(\d+)[、。.]", r"\1.", text)


def edit_distance(first: str, second: str) -> int:
    """Levenshtein distance: the fewest characters inserted, deleted or replaced."""
    if len(first) < len(second):
        first, second = second, first
    previous = list(range(len(second) + 1))
    for i, left in enumerate(first, 1):
        current = [i]
        for j, right in enumerate(second, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right))
            )
        previous = current
    return previous[-1]


def nearest_label(text: object, labels: Iterable[str]) -> str | None:
    """The label of `labels` nearest to `text` (compared as label_key()), if close enough to
    be a misprint of it, else None. Ties go to the label listed first."""
    key = label_key(text)
    if not key:
        return None
    best: str | None = None
    best_distance = 0
    for label in labels:
        wanted = label_key(label)
        if abs(len(wanted) - len(key)) > len(wanted) * MAX_DIFFERENCE:
            continue
        distance = edit_distance(key, wanted)
        if best is None or distance < best_distance:
            best, best_distance = label, distance
    if best is None or best_distance > max(1, int(len(label_key(best)) * MAX_DIFFERENCE)):
        return None
    return best
