"""The information-processing fee (信息处理费), 国办函〔2020〕109号《政府信息公开信息处理费管理办法》.

Both ways are "超额累进" (第三条): 按件 charges an application at the rate of the band its
place in the applicant's month falls in; 按量 charges each page at the rate of its band.
The office chooses one way per application, never both. Each computation lists its own
steps, in the words shown on screen and printed on the 收费通知.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

BY_COUNT, BY_PAGES = "count", "pages"


class FeeMethod(models.TextChoices):
    BY_COUNT = BY_COUNT, "按件计收"
    BY_PAGES = BY_PAGES, "按量计收"


class MatchedBy(models.TextChoices):
    ID_NUMBER = "id_number", "证件号码（身份证号或统一社会信用代码）"
    NAME = "name", "申请人姓名或名称"


FREE_APPLICATIONS = 10  # 一个自然月内累计10件以下（含10件）不收费
FIRST_BAND_END = 30  # 11—30件：100元/件
BAND_SIZE = 10  # 31件起每10件为一档，每增加一档提高100元/件
RATE_STEP = Decimal(100)

# (first page, last page or None, yuan per page)
PAGE_BANDS = (
    (1, 30, Decimal(0)),
    (31, 100, Decimal(10)),
    (101, 200, Decimal(20)),
    (201, None, Decimal(40)),
)


@dataclass(frozen=True)
class FeeComputation:
    method: str
    quantity: int  # the application's place in the month (按件) or the pages (按量)
    amount: Decimal
    steps: tuple
    matched_by: str = ""

    @property
    def method_label(self):
        return FeeMethod(self.method).label

    @property
    def explanation(self):
        return "".join(self.steps)


def yuan(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('1')) if amount == amount.to_integral() else amount}元"


def rate_for_place(place: int) -> Decimal:
    """按件: the charge for the applicant's `place`-th application of the month."""
    if place <= FREE_APPLICATIONS:
        return Decimal(0)
    if place <= FIRST_BAND_END:
        return RATE_STEP
    band = (place - FIRST_BAND_END - 1) // BAND_SIZE + 1
    return RATE_STEP * (band + 1)


def band_label(place: int) -> str:
    if place <= FREE_APPLICATIONS:
        return f"累计{FREE_APPLICATIONS}件以下（含{FREE_APPLICATIONS}件）的，不收费"
    if place <= FIRST_BAND_END:
        return f"累计{FREE_APPLICATIONS + 1}—{FIRST_BAND_END}件（含{FIRST_BAND_END}件）的部分，100元/件"
    first = FIRST_BAND_END + 1 + (place - FIRST_BAND_END - 1) // BAND_SIZE * BAND_SIZE
    last = first + BAND_SIZE - 1
    return (
        f"累计{FIRST_BAND_END}件以上的部分以{BAND_SIZE}件为一档、每增加一档提高100元/件，"
        f"第{first}—{last}件为{yuan(rate_for_place(place))}/件"
    )


def fee_by_count(
    place: int, month: datetime.date | None = None, matched_by: str = ""
) -> FeeComputation:
    """按件计收 for an application that is the applicant's `place`-th in the calendar month."""
    if place < 1:
        raise ValueError("place starts at 1")
    amount = rate_for_place(place)
    steps = []
    if month is not None:
        who = f"（按{MatchedBy(matched_by).label}认定同一申请人）" if matched_by else ""
        steps.append(f"同一申请人{month.year}年{month.month}月累计申请，本件为第{place}件{who}。")
    else:
        steps.append(f"本件为同一申请人本自然月内累计申请的第{place}件。")
    steps.append(f"按件计收：{band_label(place)}。")
    steps.append(f"本件收费{yuan(amount)}。")
    return FeeComputation(BY_COUNT, place, amount, tuple(steps), str(matched_by or ""))


def fee_by_pages(pages: int) -> FeeComputation:
    """按量计收 for `pages` pages: each page at the rate of its band (超额累进)."""
    if pages < 0:
        raise ValueError("pages cannot be negative")
    steps = [f"按量计收：提供政府信息共{pages}页。"]
    total = Decimal(0)
    for first, last, rate in PAGE_BANDS:
        if pages < first:
            break
        top = pages if last is None else min(pages, last)
        count = top - first + 1
        part = rate * count
        total += part
        range_text = f"第{first}—{top}页" if top > first else f"第{first}页"
        if rate:
            steps.append(f"{range_text}共{count}页，每页{yuan(rate)}，计{yuan(part)}；")
        else:
            steps.append(f"{range_text}共{count}页，30页以下（含30页）不收费；")
    steps.append(f"合计收费{yuan(total)}。")
    return FeeComputation(BY_PAGES, pages, total, tuple(steps))


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


def applicant_month_place(application):
    """(place, matched_by, month): where this application falls among the applicant's
    applications to the same office received in the same calendar month.

    The same applicant is the same 证件号码 when this application has one, otherwise the
    same name. Order: date received, then the order they were logged in.
    """
    from applications.models import Application

    first, following = month_bounds(application.received_on)
    same_month = Application.objects.filter(
        organization_id=application.organization_id,
        received_on__gte=first,
        received_on__lt=following,
    )
    if application.applicant_id_number.strip():
        matched_by = MatchedBy.ID_NUMBER
        same = same_month.filter(applicant_id_number=application.applicant_id_number.strip())
    else:
        matched_by = MatchedBy.NAME
        same = same_month.filter(applicant_name=application.applicant_name.strip())
    earlier = same.filter(
        models.Q(received_on__lt=application.received_on)
        | models.Q(received_on=application.received_on, pk__lte=application.pk)
    )
    return earlier.count(), matched_by, first


def compute_fee(application, method: str, pages: int | None = None) -> FeeComputation:
    """The fee for an application by the chosen method (pages only for 按量)."""
    if method == BY_COUNT:
        place, matched_by, month = applicant_month_place(application)
        return fee_by_count(place, month, matched_by)
    if pages is None:
        raise ValueError("按量计收 needs the number of pages")
    return fee_by_pages(pages)
