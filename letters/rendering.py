"""Rendering a letter from a ledger record, and checking an office's own template."""

import datetime
import io

from docx import Document
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from applications.choices import ApplicantType, Outcome
from applications.models import Application, Organization

from .defaults import default_template_bytes
from .kinds import CONTEXT_HELP, KIND_EXTRA_CONTEXT, allowed_placeholders
from .models import DEFAULT_NUMBER_PATTERN, LetterSettings

DEFAULT_SOURCE = "系统默认模板"


class TemplateProblem(Exception):
    """A template that cannot be used; the message says what to fix, in Chinese."""


def jinja_env():
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def placeholder_help(kind):
    names = {**CONTEXT_HELP, **KIND_EXTRA_CONTEXT.get(kind.code, {})}
    names |= {detail.name: detail.label for detail in kind.fields}
    return names


def render(template_bytes, context):
    template = DocxTemplate(io.BytesIO(template_bytes))
    template.render(context, jinja_env=jinja_env())
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def template_for(organization, kind):
    """(bytes, source label): the office's own template for the kind, else the default."""
    own = organization.letter_templates.filter(kind=kind.code).first()
    if own is not None:
        return bytes(own.content), f"本机关模板（{own.filename}）"
    return default_template_bytes(kind.code), DEFAULT_SOURCE


def document_text(data):
    document = Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def check_template(kind, data):
    """Refuse a template that is not a .docx, misspells a placeholder or does not render.

    Renders it against a sample application (SAMPLE_*), so nothing real is read.
    """
    try:
        template = DocxTemplate(io.BytesIO(data))
        used = template.get_undeclared_template_variables(jinja_env())
    except TemplateError as error:
        raise TemplateProblem(f"模板中的占位符写法有误：{error}。请检查花括号是否成对。") from error
    except Exception as error:  # noqa: BLE001 - any unreadable file is the user's to fix
        raise TemplateProblem("无法读取该文件：请上传用Word保存的 .docx 文件。") from error
    unknown = sorted(used - allowed_placeholders(kind))
    if unknown:
        names = "、".join(f"{{{{ {name} }}}}" for name in unknown)
        raise TemplateProblem(
            f"模板中有不认识的占位符：{names}。请核对拼写，可用的占位符见本页下方的列表。"
        )
    try:
        rendered = render(data, sample_context(kind))
    except (TemplateError, UndefinedError) as error:
        raise TemplateProblem(f"用示例申请试生成告知书失败：{error}。") from error
    leftover = [mark for mark in ("{{", "}}", "{%", "%}") if mark in document_text(rendered)]
    if leftover:
        raise TemplateProblem("模板中有未能替换的占位符（花括号不成对或被拆开），请检查。")
    return rendered


SAMPLE_OFFICE = Organization(name="某某市某某区某某街道办事处", short_name="某某街道")
SAMPLE_APPLICATION = Application(
    organization=SAMPLE_OFFICE,
    number="某某街道〔2021〕1号",
    received_on=datetime.date(2021, 3, 1),
    correction_received_on=datetime.date(2021, 3, 8),
    applicant_type=ApplicantType.NATURAL_PERSON,
    applicant_name="示例申请人",
    content="示例申请内容",
    answered_on=datetime.date(2021, 3, 26),
    outcome=Outcome.DISCLOSED,
    due_on=datetime.date(2021, 4, 28),
)
SAMPLE_SETTINGS = LetterSettings(
    organization=SAMPLE_OFFICE,
    review_body="某某区人民政府",
    court="某某区人民法院",
    number_pattern=DEFAULT_NUMBER_PATTERN,
)


def sample_context(kind):
    from .issuing import letter_context

    details = {
        detail.name: (
            True
            if detail.kind == "bool"
            else datetime.date(2021, 3, 5)
            if detail.kind == "date"
            else f"示例{detail.label}"
        )
        for detail in kind.fields
    }
    extras = {
        "fee_amount": "100",
        "fee_explanation": "示例计算过程。",
        "due_on": "2021年4月28日",
        "correction_received_on": "2021年3月8日",
    }
    return letter_context(
        kind,
        SAMPLE_APPLICATION,
        SAMPLE_SETTINGS,
        number="某某街道依申〔2021〕1号",
        letter_date=datetime.date(2021, 3, 26),
        details=details,
        extras=extras,
    )
