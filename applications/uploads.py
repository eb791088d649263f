"""Checks an uploaded workbook must pass before anything parses it.

An .xlsx is a zip of XML files. Before openpyxl opens it we refuse files that are too
big, that are not really an xlsx (a renamed text file, an old .xls, a password-protected
workbook), and zip bombs: too many members, too much uncompressed data, a suspicious
compression ratio, or a sheet declaring more rows or columns than a ledger can have.
Python's zipfile never inflates a member beyond its declared size, so the declared
sizes checked here bound what parsing can allocate.
"""

import os
import re
import zipfile

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # 20 MB: a 50,000-row ledger is about 4 MB.
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_MEMBERS = 2000
MAX_ROWS = 200_000
MAX_COLUMNS = 200

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
NOT_XLSX = "文件不是Excel工作簿（.xlsx），可能是其他类型的文件改了扩展名。请在Excel中打开台账，选择“另存为”“Excel 工作簿(*.xlsx)”后再导入。"


class UploadRejected(Exception):
    """The file is refused before parsing; str() is the message for the user."""


def megabytes(size):
    return f"{size / 1024 / 1024:.1f} MB"


def column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def file_size(source):
    if isinstance(source, (str, os.PathLike)):
        return os.path.getsize(source)
    position = source.tell()
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(position)
    return size


def read_head(source, count=8):
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            return handle.read(count)
    position = source.tell()
    source.seek(0)
    head = source.read(count)
    source.seek(position)
    return head


def check_xlsx(source):
    """Raise UploadRejected (with a Chinese message) unless source looks like a safe .xlsx.

    source: a path or a seekable binary file.
    """
    size = file_size(source)
    if size == 0:
        raise UploadRejected("文件是空的（0 字节），请检查是否选错了文件。")
    if size > MAX_UPLOAD_BYTES:
        raise UploadRejected(
            f"文件有 {megabytes(size)}，超过了 {megabytes(MAX_UPLOAD_BYTES)} 的上限。请按年份分成几个文件分别导入。"
        )
    head = read_head(source)
    if head.startswith(OLE_MAGIC):
        raise UploadRejected(
            "这是旧版Excel（.xls）文件或设置了打开密码的工作簿，无法读取。请在Excel中取消密码，"
            "并“另存为”“Excel 工作簿(*.xlsx)”后再导入。"
        )
    if not head.startswith(ZIP_MAGIC):
        raise UploadRejected(NOT_XLSX)
    try:
        with zipfile.ZipFile(source) as archive:
            check_archive(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError):
        raise UploadRejected(
            "文件已损坏，不是完整的Excel工作簿（.xlsx）。请在Excel中重新保存后再导入。"
        ) from None
    finally:
        if not isinstance(source, (str, os.PathLike)):
            source.seek(0)


def check_archive(archive):
    members = archive.infolist()
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRejected(NOT_XLSX)
    if len(members) > MAX_MEMBERS:
        raise UploadRejected(
            f"工作簿内部包含 {len(members)} 个部件，超出正常范围，拒绝导入。请在Excel中另存为新的工作簿后再试。"
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise UploadRejected("工作簿有加密部件，无法读取。请取消密码后再导入。")
    uncompressed = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members)
    if uncompressed > MAX_UNCOMPRESSED_BYTES:
        raise UploadRejected(
            f"工作簿解压后有 {megabytes(uncompressed)}，超过了 {megabytes(MAX_UNCOMPRESSED_BYTES)} 的上限，拒绝导入。"
            "请按年份分成几个文件分别导入。"
        )
    if uncompressed > 1024 * 1024 and uncompressed > MAX_COMPRESSION_RATIO * max(compressed, 1):
        raise UploadRejected(
            f"工作簿的压缩比（{uncompressed // max(compressed, 1)} 倍）异常，可能是恶意构造的文件，拒绝导入。"
        )
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            check_dimension(archive, member)


def check_dimension(archive, member):
    """Refuse a sheet whose declared range (<dimension ref="A1:Q50001"/>) is out of bounds."""
    with archive.open(member) as handle:
        head = handle.read(4096)
    match = DIMENSION.search(head)
    if not match:
        return  # No declared range: the row count is checked while reading.
    last_letters = (match.group(3) or match.group(1) or b"A").decode("ascii")
    last_row = int(match.group(4) or match.group(2) or 1)
    if last_row > MAX_ROWS + 1:
        raise UploadRejected(
            f"工作簿中有工作表声明了 {last_row} 行，超过了每张表 {MAX_ROWS} 行的上限。请按年份分成几个文件分别导入。"
        )
    if column_number(last_letters) > MAX_COLUMNS:
        raise UploadRejected(
            f"工作簿中有工作表声明了 {column_number(last_letters)} 列，超过了 {MAX_COLUMNS} 列的上限。请删除多余的列后再导入。"
        )
