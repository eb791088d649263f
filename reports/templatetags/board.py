"""The district board's two long tables, one row per office, drawn in Python.

A district of a thousand offices has some 16,000 cells in these two tables; the template
language took half a second to fill them, format_html takes a tenth of that. The rows show
only what reports.figures.district (OfficeRow) and reports.figures.indicators give them.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ..figures.standing import SIGNED, SUBMITTED

register = template.Library()

BADGES = {
    SIGNED: SafeString('<span class="badge text-bg-success">已定稿</span>'),
    SUBMITTED: SafeString('<span class="badge text-bg-primary">已报送</span>'),
}
UNSETTLED_BADGE = SafeString('<span class="badge text-bg-secondary">未定稿</span>')
DRIFT_NOTE = SafeString('<div class="small text-danger">定稿后台账有变动，汇总仍按定稿</div>')
FIGURE = '<td class="board-figure">{}</td>'


def _office_cell(row, district, year) -> SafeString:
    link = format_html(
        '<a href="{}">{}</a>', reverse("reports:report", args=[row.office.pk, year]), row.name
    )
    if row.source != SUBMITTED:
        return link
    submission = reverse("reports:submission", args=[district.pk, year, row.settled.record.pk])
    return format_html(
        '{}<div class="small"><a href="{}">查看报送工作簿</a></div>', link, submission
    )


def _status_cell(row) -> SafeString:
    parts = [BADGES.get(row.source, UNSETTLED_BADGE)]
    if row.version_label:
        parts.append(format_html('<div class="small">{}</div>', row.version_label))
    if row.drift:
        parts.append(DRIFT_NOTE)
    return SafeString("".join(parts))


def _checks_cell(row) -> SafeString:
    if row.failed_count:
        return format_html('<span class="text-danger fw-bold">{}</span>', row.checks_label)
    return format_html("{}", row.checks_label)


def _status_row(row, district, year) -> SafeString:
    figures = (row.new, row.answered, row.carried_out, row.reviews, row.lawsuits)
    return format_html(
        '<tr class="board-row" data-office="{}"><th scope="row" class="fw-normal">{}</th>'
        '<td>{}</td><td>{}</td>{}<td class="small">{}</td></tr>\n',
        row.office.pk,
        _office_cell(row, district, year),
        _status_cell(row),
        _checks_cell(row),
        format_html_join("", FIGURE, ((figure,) for figure in figures)),
        row.counted_as,
    )


@register.simple_tag
def board_status_rows(rows, district, year) -> SafeString:
    """The 各机关报送情况 rows: name (linked), state, checks, five figures, what counts."""
    return SafeString("".join(_status_row(row, district, year) for row in rows))


def _indicator_cell(value) -> SafeString:
    if not value.flag:
        return format_html(
            '<td class="board-figure" title="{}" data-flag="">{}</td>',
            value.explanation,
            value.shown,
        )
    return format_html(
        '<td class="board-figure indicator-{}" title="{}" data-flag="{}">{} '
        '<span class="visually-hidden">（{}）</span></td>',
        value.flag,
        value.explanation,
        value.flag,
        value.shown,
        value.flag_label,
    )


@register.simple_tag
def board_indicator_rows(rows) -> SafeString:
    """The 各机关指标 rows: each office's indicators, flagged, with how each was worked out."""
    return SafeString(
        "".join(
            format_html(
                '<tr data-office="{}"><th scope="row" class="fw-normal">{}</th>{}</tr>\n',
                row.office.pk,
                row.name,
                SafeString("".join(_indicator_cell(value) for value in values)),
            )
            for row, values in rows
        )
    )
