"""Upload safety for the intake: the zip's directory before anything is parsed, and every
way parsing a hostile or damaged workbook can fail, as a Chinese message.

`guard_upload()` and `open_workbook()` are the two places to swap for the shared upload
guard and safe reader of lib/ when they land.
"""

import zipfile
from io import BytesIO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

# A report workbook is a few dozen kilobytes. These bounds are checked on the zip's
# directory before anything is decompressed or parsed. (The ledger import has its own
# guard in lib/uploads.py; making the intake use it is open work of issue 13.)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 300
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 256 * 1024
# Parsing cells costs time in proportion to the sheets' XML, whatever part of a sheet is
# read; these bounds keep every intake well under 5 seconds. A report's sheets are a few
# hundred kilobytes.
MAX_CELL_XML_BYTES = 1_500_000  # xl/worksheets/*.xml and xl/sharedStrings.xml together
MAX_STYLES_BYTES = 1_000_000
PROLOG_BYTES = 4096
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx


def _megabytes(size):
    return f"{round(size / 1024 / 1024, 1):g} MB"


def guard_upload(uploaded):
    """The upload's bytes if it is a plain .xlsx workbook within the size bounds, else
    ValidationError in words a civil servant can act on. Nothing is decompressed here: the
    sizes come from the zip's directory, which zipfile then enforces while reading."""
    name = uploaded.name or ""
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(
            f"文件“{name}”不是 .xlsx 工作簿。请在 Excel 或 WPS 中“另存为” Excel 工作簿（*.xlsx）后再上传。"
        )
    if uploaded.size is not None and uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"文件太大（{_megabytes(uploaded.size)}），年度报告工作簿不应超过{_megabytes(MAX_UPLOAD_BYTES)}。请删除无关的工作表或图片后再上传。"
        )
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"文件太大，年度报告工作簿不应超过{_megabytes(MAX_UPLOAD_BYTES)}。请删除无关的工作表或图片后再上传。"
        )
    if data.startswith(OLE_SIGNATURE):
        raise ValidationError(
            "这是旧版 .xls 文件或设置了打开密码的工作簿，无法读取。请取消密码，并“另存为” Excel 工作簿（*.xlsx）后再上传。"
        )
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValidationError(
            "文件已损坏或不是 Excel 工作簿（*.xlsx），无法读取。请用 Excel 或 WPS 打开确认后重新保存再上传。"
        ) from None
    names = {member.filename for member in members}
    if len(members) > MAX_ENTRIES:
        raise ValidationError("工作簿内部文件过多，不像是年度报告工作簿，已拒绝读取。")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ValidationError("文件不是 Excel 工作簿（*.xlsx）。请“另存为” Excel 工作簿后再上传。")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(
            "工作簿中含有宏，已拒绝读取。请“另存为”不含宏的 Excel 工作簿（*.xlsx）后再上传。"
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise ValidationError("工作簿经过加密，无法读取。请取消密码后再上传。")
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise ValidationError("工作簿解压后过大，不像是年度报告工作簿，已拒绝读取。")
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ValidationError("工作簿的压缩比异常，不像是年度报告工作簿，已拒绝读取。")
    _check_parsing_bounds(members)
    _refuse_document_type_declarations(archive, members)
    return data


def _check_parsing_bounds(members):
    cells = sum(
        member.file_size
        for member in members
        if member.filename.startswith("xl/worksheets/") or member.filename == "xl/sharedStrings.xml"
    )
    if cells > MAX_CELL_XML_BYTES:
        raise ValidationError(
            f"工作簿中的表格内容过多（解压后{_megabytes(cells)}），年度报告工作簿的表格不应超过{_megabytes(MAX_CELL_XML_BYTES)}。"
            "请删除无关的工作表、大片的空白格式或粘贴进来的大量数据后再上传。"
        )
    styles = sum(member.file_size for member in members if member.filename == "xl/styles.xml")
    if styles > MAX_STYLES_BYTES:
        raise ValidationError(
            f"工作簿中的单元格格式过多（解压后{_megabytes(styles)}），不像是年度报告工作簿。"
            "请把表格内容复制到一个新建的工作簿中（只粘贴数值和文字），保存后再上传。"
        )


def _refuse_document_type_declarations(archive, members):
    """No part of a real workbook declares a DTD or entities; a declaration can only stand
    before the root element, so the head of each XML part is enough to look at."""
    for member in members:
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(member) as part:
                head = part.read(PROLOG_BYTES)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise ValidationError(DAMAGED) from None
        encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
        text = head.decode(encoding, errors="ignore")
        if "<!DOCTYPE" in text or "<!ENTITY" in text:
            raise ValidationError(ENTITY_PAYLOAD)


ENTITY_PAYLOAD = (
    "工作簿内部含有 XML 实体或文档类型声明（DTD），正常的 Excel 工作簿不会有，可能是恶意文件，已拒绝读取。"
    "请在 Excel 或 WPS 中打开报送的原文件，“另存为” Excel 工作簿（*.xlsx）后再上传。"
)
CONTROL_CHARACTERS = (
    "工作簿内部含有控制字符（如 U+0001），不是合法的 XML，无法读取。"
    "请在 Excel 或 WPS 中打开，删除从其他系统粘贴来的乱码后“另存为” Excel 工作簿（*.xlsx）再上传。"
)
MALFORMED_XML = (
    "工作簿内部的 XML 格式有误（文件可能已损坏或由不规范的软件生成），无法读取。"
    "请在 Excel 或 WPS 中打开确认后，“另存为” Excel 工作簿（*.xlsx）再上传。"
)
DAMAGED = "无法读取这个工作簿（文件可能已损坏）。请用 Excel 或 WPS 打开确认后重新保存再上传。"


def _causes(error):
    """The exception and those it was raised from (openpyxl wraps parse errors)."""
    seen = []
    while error is not None and error not in seen:
        seen.append(error)
        error = error.__cause__ or error.__context__
    return seen


def parse_error_message(error):
    """The Chinese message for an exception raised while parsing a workbook's XML."""
    for cause in _causes(error):
        if isinstance(cause, DefusedXmlException):
            return ENTITY_PAYLOAD
        if isinstance(cause, ParseError) or type(cause).__name__ == "XMLSyntaxError":
            text = str(cause)
            if "invalid token" in text or "invalid character" in text:
                return CONTROL_CHARACTERS
            return MALFORMED_XML
    return DAMAGED


def open_workbook(data, formulas=False):
    """The workbook read-only (values, or the formulas), or ValidationError in Chinese.
    Read-only parsing is lazy: callers reading cells must catch errors with
    parse_error_message() too."""
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=not formulas)
    except Exception as error:  # openpyxl raises many kinds on a damaged or hostile file
        raise ValidationError(parse_error_message(error)) from None
