"""The one guard every uploaded workbook passes before anything parses it.

An .xlsx is a zip of XML files. Before any XML is read we refuse files that are too big,
that are not really an xlsx (a renamed text file, an old .xls, a password-protected
workbook), macro-enabled workbooks, and zip bombs: too many members, too much uncompressed
data, a suspicious compression ratio. Each use (the ledger import, the district intake)
has its own limits (UploadLimits). The XML itself is then checked by lib.workbooks while
it is streamed, because what the zip's directory declares cannot be trusted.
"""

import os
import re
import zipfile
from dataclasses import dataclass
from typing import IO

# What a check reads: a path, or a seekable binary file (an upload, a BytesIO).
Source = str | os.PathLike[str] | IO[bytes]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlsb", ".xlam")
MACRO_CONTENT_TYPE = b"macroEnabled"
XML_SUFFIXES = (".xml", ".rels", ".vml")  # the parts lib.workbooks streams and openpyxl parses
EXCEL_CELL_CHARACTERS = 32_767  # Excel's own limit for the text of one cell
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')


@dataclass(frozen=True)
class UploadLimits:
    """What one kind of upload may contain; every limit is named in its refusal message."""

    purpose: str  # in the user's words: "台账", "年度报告工作簿"
    verb: str  # what the user is doing with it: "导入", "上传"
    max_bytes: int
    max_uncompressed_bytes: int
    max_rows: int  # data rows per sheet, the header row not counted
    max_columns: int
    max_shared_strings: int
    max_shared_string_characters: int
    max_members: int = 2000
    max_compression_ratio: int = 100
    max_cell_characters: int = EXCEL_CELL_CHARACTERS
    # The XML parts in total (sheets, shared strings, styles ...): reading a workbook costs
    # time in proportion to its XML, whatever part of a sheet is used. None: only
    # max_uncompressed_bytes applies.
    max_xml_bytes: int | None = None
    split_hint: str = "请按年份分成几个文件分别导入。"

    def not_xlsx(self) -> str:
        return (
            "文件不是Excel工作簿（.xlsx），可能是其他类型的文件改了扩展名。"
            f"请在Excel中打开{self.purpose}，选择“另存为”“Excel 工作簿(*.xlsx)”后再{self.verb}。"
        )

    def damaged(self) -> str:
        return f"文件已损坏，不是完整的Excel工作簿（.xlsx）。请在Excel中重新保存后再{self.verb}。"

    def macros(self) -> str:
        return (
            "工作簿中含有宏（VBA代码），为安全起见拒绝读取。"
            f"请在Excel中“另存为”“Excel 工作簿(*.xlsx)”（不含宏）后再{self.verb}。"
        )


LEDGER_LIMITS = UploadLimits(
    purpose="台账",
    verb="导入",
    max_bytes=20 * 1024 * 1024,  # a 50,000-row ledger is about 4 MB
    max_uncompressed_bytes=400 * 1024 * 1024,
    max_rows=200_000,
    max_columns=200,
    max_shared_strings=2_000_000,
    max_shared_string_characters=60_000_000,
)
INTAKE_LIMITS = UploadLimits(
    purpose="年度报告工作簿",
    verb="上传",
    max_bytes=2 * 1024 * 1024,  # a report workbook is a few dozen kilobytes
    max_uncompressed_bytes=20 * 1024 * 1024,
    max_rows=2_000,
    max_columns=100,
    max_shared_strings=20_000,
    max_shared_string_characters=2_000_000,
    max_members=300,
    # A report's XML is a few hundred kilobytes; this bound keeps every intake well within
    # 5 seconds (tests/test_intake_checks.py, at the bounds).
    max_xml_bytes=2_500_000,
    split_hint="请删除无关的工作表或图片后再上传。",
)


class UploadRejected(Exception):
    """The file is refused; str() is the message for the user."""


def megabytes(size: float) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def file_size(source: Source) -> int:
    if isinstance(source, (str, os.PathLike)):
        return os.path.getsize(source)
    position = source.tell()
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(position)
    return size


def read_head(source: Source, count: int = 8) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            return handle.read(count)
    position = source.tell()
    source.seek(0)
    head = source.read(count)
    source.seek(position)
    return head


def check_upload(source: Source, limits: UploadLimits, filename: str | None = None) -> None:
    """Raise UploadRejected (with a Chinese message) unless source looks like a safe .xlsx.

    source: a path or a seekable binary file; filename: the name the user uploaded, when
    it differs from the path (a stored upload has a random name).
    """
    named: object = filename
    if named is None:  # a path names itself; a file object has its name
        named = getattr(source, "name", None) if hasattr(source, "name") else source
    name = str(named or "")
    if name.lower().endswith(MACRO_SUFFIXES):
        raise UploadRejected(limits.macros())
    size = file_size(source)
    if size == 0:
        raise UploadRejected("文件是空的（0 字节），请检查是否选错了文件。")
    if size > limits.max_bytes:
        raise UploadRejected(too_big(size, limits))
    head = read_head(source)
    if head.startswith(OLE_MAGIC):
        raise UploadRejected(
            "这是旧版Excel（.xls）文件或设置了打开密码的工作簿，无法读取。请在Excel中取消密码，"
            f"并“另存为”“Excel 工作簿(*.xlsx)”后再{limits.verb}。"
        )
    if not head.startswith(ZIP_MAGIC):
        raise UploadRejected(limits.not_xlsx())
    try:
        with zipfile.ZipFile(source) as archive:
            check_archive(archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError):
        raise UploadRejected(limits.damaged()) from None
    finally:
        if not isinstance(source, (str, os.PathLike)):
            source.seek(0)


def check_archive(archive: zipfile.ZipFile, limits: UploadLimits) -> None:
    members = archive.infolist()
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRejected(limits.not_xlsx())
    if len(members) > limits.max_members:
        raise UploadRejected(
            f"工作簿内部包含 {len(members)} 个部件，超过了 {limits.max_members} 个部件的上限，拒绝{limits.verb}。"
            "请在Excel中另存为新的工作簿后再试。"
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise UploadRejected(f"工作簿有加密部件，无法读取。请取消密码后再{limits.verb}。")
    if any(name.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
        raise UploadRejected(limits.macros())
    uncompressed = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members)
    if uncompressed > limits.max_uncompressed_bytes:
        raise UploadRejected(too_big_uncompressed(uncompressed, limits))
    if uncompressed > 1024 * 1024 and uncompressed > limits.max_compression_ratio * max(
        compressed, 1
    ):
        raise UploadRejected(
            f"工作簿的压缩比（{uncompressed // max(compressed, 1)} 倍）超过了 {limits.max_compression_ratio} 倍的上限，"
            f"可能是恶意构造的文件，拒绝{limits.verb}。"
        )
    xml = sum(
        member.file_size for member in members if member.filename.lower().endswith(XML_SUFFIXES)
    )
    if limits.max_xml_bytes is not None and xml > limits.max_xml_bytes:
        raise UploadRejected(too_much_xml(xml, limits))
    content_types = archive.getinfo("[Content_Types].xml")
    if content_types.file_size > 1024 * 1024:
        raise UploadRejected(limits.damaged())
    if MACRO_CONTENT_TYPE in archive.read(content_types):
        raise UploadRejected(limits.macros())
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            check_dimension(archive, member, limits)


def too_big(size: int, limits: UploadLimits) -> str:
    shown = megabytes(size)
    if shown == megabytes(limits.max_bytes):  # just over: "2.0 MB, over 2.0 MB" says nothing
        shown = f"{size:,} 字节"
    return f"文件有 {shown}，超过了 {megabytes(limits.max_bytes)} 的上限。{limits.split_hint}"


def too_big_uncompressed(size: int, limits: UploadLimits) -> str:
    return (
        f"工作簿解压后有 {megabytes(size)}，超过了 {megabytes(limits.max_uncompressed_bytes)} 的上限，"
        f"拒绝{limits.verb}。{limits.split_hint}"
    )


def too_much_xml(size: int, limits: UploadLimits) -> str:
    return (
        f"工作簿中的表格内容过多：表格和格式数据解压后有 {megabytes(size)}，超过了{limits.purpose} "
        f"{megabytes(limits.max_xml_bytes or 0)} 的上限，拒绝{limits.verb}。"
        "请删除无关的工作表、大片的空白格式或粘贴进来的大量数据（也可以把表格只粘贴数值和文字到一个新建的工作簿中），"
        f"保存后再{limits.verb}。"
    )


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def check_dimension(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: UploadLimits
) -> None:
    """Refuse early a sheet whose declared range (<dimension ref="A1:Q50001"/>) is out of
    bounds. The declaration is only a hint: lib.workbooks counts the true extent."""
    with archive.open(member) as handle:
        head = handle.read(4096)
    match = DIMENSION.search(head)
    if not match:
        return
    last_letters = (match.group(3) or match.group(1) or b"A").decode("ascii")
    last_row = int(match.group(4) or match.group(2) or 1)
    if last_row > limits.max_rows + 1:
        raise UploadRejected(
            f"工作簿中有工作表声明了 {last_row} 行，超过了每张表 {limits.max_rows} 行的上限。{limits.split_hint}"
        )
    if column_number(last_letters) > limits.max_columns:
        raise UploadRejected(
            f"工作簿中有工作表声明了 {column_number(last_letters)} 列，超过了 {limits.max_columns} 列的上限。"
            f"请删除多余的列后再{limits.verb}。"
        )
