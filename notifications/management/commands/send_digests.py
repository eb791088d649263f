from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lib.dates import NoSuchDay, NotADate, parse_date_text
from notifications.digest import send_daily_digests


class Command(BaseCommand):
    help = "发送每日答复期限提醒：每个有逾期或即将到期申请的机关，给每位登记员一条站内提醒（配置了邮件服务器时同时发邮件）。同一天不会重复发送。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天发送（默认今天），如 2026-12-3")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = parse_date_text(date)
            except (NotADate, NoSuchDay):
                raise CommandError(f"“{date}”不是有效的日期，请写作如 2026-12-3。") from None
        runs = send_daily_digests(today)
        day = today or timezone.localdate()
        if not runs:
            self.stdout.write(
                f"{day:%Y-%m-%d}：没有需要发送的提醒（非工作日、没有到期的申请或今天已经发过）。"
            )
        for run in runs:
            self.stdout.write(
                f"{run.organization.short_name}：已逾期{run.overdue}件，即将到期{run.due_soon}件，已发送提醒。"
            )
