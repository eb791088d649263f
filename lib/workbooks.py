"""Reading an uploaded .xlsx safely: every XML part is streamed and checked before openpyxl
reads it, and every row openpyxl reads is guarded.

check_workbook(source, limits) runs lib.uploads.check_upload (the zip's directory) and then
streams every XML part of the workbook through expat, never holding more than one buffer:

- a part that is not well-formed XML (a broken tag, C0 control characters written as
  character references, ...) is refused, naming the sheet and the line;
- any document type declaration is refused, so no entity (external entities, the
  "billion laughs") is ever expanded; openpyxl itself parses through defusedxml;
- the bytes actually inflated are counted against limits.max_uncompressed_bytes and,
  where a use sets one, limits.max_xml_bytes (the sizes in the zip's directory are only
  declarations);
- the text of one cell (or one shared string) is counted while it streams and refused
  past limits.max_cell_characters (Excel's own 32,767);
- the shared-strings table is limited in count and in total characters;
- each sheet's TRUE extent (its last row and last column holding a cell) is counted,
  whatever its <dimension> declares, and refused beyond limits.max_rows / max_columns.

SafeWorkbook then opens the checked file with openpyxl (read-only) and yields every row up
to the true extent (or less, when the caller bounds it); an error while a row is read
becomes UploadRejected naming the row. The file is scanned once: whoever needs the rows
opens a SafeWorkbook instead of calling check_workbook first.
"""

import logging
import os
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NoReturn
from xml.parsers import expat

import openpyxl
from openpyxl.utils import get_column_letter

from .uploads import (
    XML_SUFFIXES,
    Source,
    UploadLimits,
    UploadRejected,
    check_upload,
    megabytes,
    too_big_uncompressed,
    too_much_xml,
)

logger = logging.getLogger("gongkai")

CHUNK = 64 * 1024
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# What a part that does not parse has, in the user's words (expat's own are English).
CONTROL_CHARACTERS = "含有控制字符（如 U+0001）或其他 XML 不允许的字符，多是从其他系统粘贴来的乱码"
TRUNCATED = "XML 格式有误：内容不完整，文件可能没有保存完整，或在传送中被截断"
XML_ERRORS = {
    expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]: CONTROL_CHARACTERS,
    expat.errors.codes[expat.errors.XML_ERROR_BAD_CHAR_REF]: CONTROL_CHARACTERS,
    expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]: TRUNCATED,
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN]: TRUNCATED,
    expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR]: TRUNCATED,
    expat.errors.codes[expat.errors.XML_ERROR_TAG_MISMATCH]: "XML 格式有误：标签不配对",
}


@dataclass
class Extent:
    """The last row and column that hold a cell, counted from the sheet's XML."""

    rows: int = 0
    columns: int = 0


@dataclass
class WorkbookScan:
    sheets: dict[str, Extent] = field(default_factory=dict)  # sheet title -> Extent
    shared_strings: int = 0
    uncompressed_bytes: int = 0


class _Refused(Exception):
    pass


def local(name: str) -> str:
    """'http://...main row' -> 'row' (expat runs with namespace processing)."""
    return name.rpartition(" ")[2]


def split_reference(reference: str) -> tuple[int, int] | tuple[None, None]:
    """'AB12' -> (28, 12); (None, None) when it is not a cell reference."""
    letters = reference.rstrip("0123456789")
    digits = reference[len(letters) :]
    if not letters or not digits or not letters.isalpha() or not letters.isascii():
        return None, None
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return column, int(digits)


class PartReader:
    """Streams one XML part through expat with the checks every part gets."""

    def __init__(self, scanner: "Scanner", name: str, where: str) -> None:
        self.scanner = scanner
        self.limits = scanner.limits
        self.name = name
        self.where = where  # in the user's words: 工作表“申请登记”, 共享字符串表, ...
        self.text_length = 0
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.entity
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters

    def doctype(self, *args: object) -> NoReturn:
        raise _Refused(
            f"{self.where}含有 XML 实体或文档类型声明（DOCTYPE），正常的Excel工作簿不会有，"
            f"可能是恶意构造的文件，拒绝{self.limits.verb}。"
            f"请在Excel中打开原文件，另存为“Excel 工作簿(*.xlsx)”后再{self.limits.verb}。"
        )

    def entity(self, *args: object) -> None:
        self.doctype()

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.text_length = 0

    def end(self, name: str) -> None:
        self.text_length = 0

    def place(self) -> str:
        return self.where

    def characters(self, data: str) -> None:
        self.text_length += len(data)
        if self.text_length > self.limits.max_cell_characters:
            raise _Refused(
                f"{self.place()}的内容超过了每个单元格 {self.limits.max_cell_characters} 个字符的上限"
                f"（Excel本身的上限），请检查后再{self.limits.verb}。"
            )

    def run(self, archive: zipfile.ZipFile, member: str | zipfile.ZipInfo) -> None:
        try:
            with archive.open(member) as handle:
                while chunk := handle.read(CHUNK):
                    self.scanner.count_bytes(len(chunk))
                    self.parser.Parse(chunk, False)
                self.parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise _Refused(
                f"{self.where}的内部数据已损坏（第 {error.lineno} 行第 {error.offset + 1} 个字符："
                f"{XML_ERRORS.get(error.code, 'XML 格式有误')}），无法读取。"
                f"请在Excel中打开这个文件，另存为新的“Excel 工作簿(*.xlsx)”后再{self.limits.verb}。"
            ) from None


class SheetReader(PartReader):
    """Counts a sheet's true extent and names the cell whose text is too long."""

    def __init__(self, scanner: "Scanner", name: str, where: str) -> None:
        super().__init__(scanner, name, where)
        self.extent = Extent()
        self.row = 0
        self.column = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.text_length = 0
        tag = local(name)
        if tag == "c":
            reference = attributes.get("r")
            column = split_reference(reference)[0] if reference else None
            self.column = column if column else self.column + 1
            if self.column > self.limits.max_columns:
                raise _Refused(
                    f"{self.where}第 {self.row} 行的 {get_column_letter(min(self.column, 16384))} 列"
                    f"超出了 {self.limits.max_columns} 列的上限。请删除多余的列后再{self.limits.verb}。"
                )
            if self.column > self.extent.columns:
                self.extent.columns = self.column
            if self.row > self.extent.rows:
                self.extent.rows = self.row
        elif tag == "row":
            number = attributes.get("r")
            self.row = int(number) if number and number.isdigit() else self.row + 1
            self.column = 0
            if self.row > self.limits.max_rows + 1:
                raise _Refused(
                    f"{self.where}的数据到了第 {self.row} 行，超过了每张表 {self.limits.max_rows} 行的上限。"
                    f"{self.limits.split_hint}"
                )

    def place(self) -> str:
        if self.row and self.column:
            return f"{self.where}第 {self.row} 行 {get_column_letter(min(self.column, 16384))} 列"
        return self.where


class SharedStringsReader(PartReader):
    """Counts the shared strings, their characters in total and in each string."""

    def __init__(self, scanner: "Scanner", name: str, where: str) -> None:
        super().__init__(scanner, name, where)
        self.count = 0
        self.total = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = local(name)
        if tag == "si":
            self.count += 1
            self.text_length = 0
            if self.count > self.limits.max_shared_strings:
                raise _Refused(
                    f"{self.where}中的不同文字超过了 {self.limits.max_shared_strings} 条的上限，"
                    f"不像是正常的{self.limits.purpose}。{self.limits.split_hint}"
                )

    def end(self, name: str) -> None:
        pass  # the length of one string runs over all its rich-text runs

    def characters(self, data: str) -> None:
        super().characters(data)
        self.total += len(data)
        if self.total > self.limits.max_shared_string_characters:
            raise _Refused(
                f"{self.where}中的文字共超过了 {self.limits.max_shared_string_characters} 个字符的上限，"
                f"不像是正常的{self.limits.purpose}。{self.limits.split_hint}"
            )

    def place(self) -> str:
        return f"{self.where}第 {self.count} 条文字"


class ListReader(PartReader):
    """Collects the elements named `tags` with their attributes (workbook.xml, its .rels)."""

    def __init__(self, scanner: "Scanner", name: str, where: str, tags: set[str]) -> None:
        super().__init__(scanner, name, where)
        self.tags = tags
        self.found: list[dict[str, str]] = []

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.text_length = 0
        if local(name) in self.tags:
            self.found.append(attributes)


class Scanner:
    def __init__(self, limits: UploadLimits) -> None:
        self.limits = limits
        self.scan = WorkbookScan()

    def count_bytes(self, count: int) -> None:
        self.scan.uncompressed_bytes += count
        if self.scan.uncompressed_bytes > self.limits.max_uncompressed_bytes:
            raise _Refused(too_big_uncompressed(self.scan.uncompressed_bytes, self.limits))
        limit = self.limits.max_xml_bytes
        if limit is not None and self.scan.uncompressed_bytes > limit:
            raise _Refused(too_much_xml(self.scan.uncompressed_bytes, self.limits))

    def sheet_titles(self, archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
        """{part name: sheet title} from xl/workbook.xml and its relationships."""
        book = ListReader(self, "xl/workbook.xml", "工作簿目录（xl/workbook.xml）", {"sheet"})
        book.run(archive, "xl/workbook.xml")
        targets = {}
        if "xl/_rels/workbook.xml.rels" in names:
            rels = ListReader(
                self,
                "xl/_rels/workbook.xml.rels",
                "工作簿目录（workbook.xml.rels）",
                {"Relationship"},
            )
            rels.run(archive, "xl/_rels/workbook.xml.rels")
            for attributes in rels.found:
                target = attributes.get("Target", "")
                if target.startswith("/"):
                    target = target.lstrip("/")
                else:
                    target = posixpath.normpath(posixpath.join("xl", target))
                targets[attributes.get("Id")] = target
        titles = {}
        for attributes in book.found:
            ids = [value for key, value in attributes.items() if key.endswith(" id")]
            part = targets.get(ids[0]) if ids else None
            if part:
                titles[part] = attributes.get("name", "")
        return titles

    def run(self, archive: zipfile.ZipFile) -> WorkbookScan:
        names = [member.filename for member in archive.infolist()]
        titles = self.sheet_titles(archive, set(names))
        for member in archive.infolist():
            name = member.filename
            if name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                continue
            if not name.lower().endswith(XML_SUFFIXES):
                continue
            if name in titles:
                reader = SheetReader(self, name, f"工作表“{titles[name]}”")
                reader.run(archive, member)
                self.scan.sheets[titles[name]] = reader.extent
            elif name.startswith("xl/worksheets/"):
                SheetReader(self, name, f"工作簿部件 {name}").run(archive, member)
            elif name == "xl/sharedStrings.xml":
                strings = SharedStringsReader(self, name, "共享字符串表（xl/sharedStrings.xml）")
                strings.run(archive, member)
                self.scan.shared_strings = strings.count
            else:
                PartReader(self, name, f"工作簿部件 {name}").run(archive, member)
        return self.scan


def scan_workbook(source: Source, limits: UploadLimits) -> WorkbookScan:
    """Stream every XML part of an .xlsx (already through check_upload); a WorkbookScan, or
    UploadRejected saying which limit was passed, or what does not parse, and where."""
    try:
        with zipfile.ZipFile(source) as archive:
            return Scanner(limits).run(archive)
    except _Refused as refused:
        raise UploadRejected(str(refused)) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError):
        # zipfile checks each member's CRC and declared size while inflating it.
        raise UploadRejected(limits.damaged()) from None
    finally:
        if not isinstance(source, (str, os.PathLike)):
            source.seek(0)


def check_workbook(
    source: Source, limits: UploadLimits, filename: str | None = None
) -> WorkbookScan:
    """The whole guard: the zip's directory (check_upload), then every XML part streamed."""
    check_upload(source, limits, filename)
    return scan_workbook(source, limits)


class SafeWorkbook:
    """A checked workbook opened read-only; rows(title) yields every row to the true extent.

    with SafeWorkbook(path, LEDGER_LIMITS) as workbook:
        for row_number, values in workbook.rows("申请登记"): ...
    Raises UploadRejected (a Chinese message with the place) on any problem.
    """

    def __init__(self, source: Source, limits: UploadLimits, filename: str | None = None) -> None:
        self.limits = limits
        self.source = source
        self.scan = check_workbook(source, limits, filename)
        self.book = self._open(data_only=True)
        self._formula_book: Any = None

    def _open(self, data_only: bool) -> Any:
        if not isinstance(self.source, (str, os.PathLike)):
            self.source.seek(0)
        try:
            return openpyxl.load_workbook(self.source, read_only=True, data_only=data_only)
        except Exception:  # openpyxl raises many kinds of errors on a damaged file
            logger.info("workbook could not be opened", exc_info=True)
            raise UploadRejected(
                "无法打开这个工作簿，文件可能已损坏。"
                f"请在Excel中打开后另存为“Excel 工作簿(*.xlsx)”再{self.limits.verb}。"
            ) from None

    def __enter__(self) -> "SafeWorkbook":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.book.close()
        if self._formula_book is not None:
            self._formula_book.close()

    @property
    def sheetnames(self) -> list[str]:
        return self.book.sheetnames

    def extent(self, title: str) -> Extent:
        return self.scan.sheets.get(title, Extent())

    def rows(
        self,
        title: str,
        max_row: int | None = None,
        max_col: int | None = None,
        formulas: bool = False,
    ) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(row number, values tuple as wide as the sheet's true extent) for every row, or
        for the first max_row rows and max_col columns. With `formulas`, a formula cell
        holds its formula ("=SUM(B2:B5)") instead of the value Excel saved for it."""
        extent = self.extent(title)
        if not extent.rows or not extent.columns:
            return
        if formulas and self._formula_book is None:
            self._formula_book = self._open(data_only=False)
        sheet = (self._formula_book if formulas else self.book)[title]
        sheet.reset_dimensions()  # the declared <dimension> is not to be trusted
        last_row = min(extent.rows, max_row or extent.rows)
        last_col = min(extent.columns, max_col or extent.columns)
        row_number = 0
        try:
            for row_number, values in enumerate(
                sheet.iter_rows(max_row=last_row, max_col=last_col, values_only=True),
                start=1,
            ):
                yield row_number, values
        except UploadRejected:
            raise
        except Exception as error:
            logger.info("workbook row could not be read", exc_info=True)
            raise UploadRejected(
                f"工作表“{title}”第 {row_number + 1} 行无法读取（{type(error).__name__}），文件可能已损坏。"
                f"请在Excel中打开这个文件，检查这一行后另存为“Excel 工作簿(*.xlsx)”再{self.limits.verb}。"
            ) from None


__all__ = [
    "Extent",
    "SafeWorkbook",
    "UploadRejected",
    "WorkbookScan",
    "check_workbook",
    "megabytes",
    "scan_workbook",
]
