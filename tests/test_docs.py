"""The rules' reference lives in docs/, and every section the code cites exists."""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ["accounts", "applications", "config", "lib", "reports", "workdays"]
# "docs/report-format.md §Table 二 to §Table 四 (…)": a file and the sections it names.
CITATION = re.compile(
    r"docs/([a-z-]+\.md)((?: (?:to |and )?§[^\n§]+?(?= to §| and §| \(|[.;:]|\n|$))*)"
)
SECTION = re.compile(r"§([^§]+?)\s*(?= to §| and §|$)")


def headings(document):
    return {
        line.lstrip("#").strip()
        for line in (BASE_DIR / "docs" / document).read_text().splitlines()
        if line.startswith("#")
    }


def citations():
    for directory in SOURCE_DIRS:
        for path in sorted((BASE_DIR / directory).rglob("*.py")):
            for match in CITATION.finditer(path.read_text()):
                yield path.relative_to(BASE_DIR), match


def section_exists(section, titles):
    return any(title == section or title.startswith(section + " ") for title in titles)


def test_every_cited_docs_section_exists():
    problems = []
    for path, match in citations():
        document, cited = match.groups()
        sections = SECTION.findall(cited.strip())
        if not (BASE_DIR / "docs" / document).is_file():
            problems.append(f"{path}: docs/{document} does not exist")
            continue
        titles = headings(document)
        problems += [
            f"{path}: docs/{document} has no section “{section}”"
            for section in sections
            if not section_exists(section.strip(), titles)
        ]
    assert problems == []


def test_the_rule_modules_cite_their_docs_section():
    cited = {str(path) for path, _ in citations()}
    assert {
        "applications/choices.py",
        "applications/deadlines.py",
        "workdays/calendar.py",
        "reports/figures/counting.py",
        "reports/figures/tables.py",
        "reports/figures/checks.py",
    } <= cited


def test_no_code_cites_the_shared_folder_outside_the_repository():
    offenders = [
        str(path.relative_to(BASE_DIR))
        for directory in SOURCE_DIRS
        for path in (BASE_DIR / directory).rglob("*.py")
        if "shared/annual-report-format" in path.read_text()
    ]
    assert offenders == []
