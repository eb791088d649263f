#!/usr/bin/env python
"""Benchmark: generate a 50,000-row ledger and import it the way manage.py import_ledger does.

    .venv/bin/python scripts/bench_import.py [--rows 50000] [--no-tracemalloc]

Uses a throw-away SQLite database in a temporary folder (or DATABASE_URL if set, which
must then be an empty scratch database) and production settings (DEBUG=0). Prints the file size, the elapsed time and peak
memory of the import (tracemalloc peak of Python allocations, and the process's maximum
resident set size), then the time of a second import of the same file (nothing changes).
The workbook is generated in a child process so its memory does not count.
"""

import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APPLICANT_TYPES = [
    "自然人",
    "自然人",
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
]
OUTCOMES = [
    "1",
    "2",
    3.1,
    "3.4",
    "4.1",
    "属于国家秘密",
    "本机关不掌握相关政府信息",
    "5.2",
    "6.3",
    "部分公开",
]


def generate(path, rows):
    """Write a ledger with `rows` applications, a review for every 25th and a lawsuit for every 100th."""
    from openpyxl import Workbook

    from applications.ledger import APPLICATION_SHEET, LAWSUIT_SHEET, REVIEW_SHEET

    rng = random.Random(2021)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(APPLICATION_SHEET.title)
    sheet.append([column.header for column in APPLICATION_SHEET.columns if not column.computed])
    start = datetime.date(2019, 1, 1)
    numbers = []
    for index in range(1, rows + 1):
        received = start + datetime.timedelta(days=index * 2000 // rows)
        number = f"基准街道〔{received.year}〕{index}号"
        numbers.append((number, received))
        answered = received + datetime.timedelta(days=rng.randint(1, 40)) if index % 10 else None
        opinion = (
            (received + datetime.timedelta(days=3), received + datetime.timedelta(days=12))
            if index % 7 == 0
            else (None, None)
        )
        sheet.append(
            [
                number,
                received,
                rng.choice(APPLICANT_TYPES),
                f"申请人{index}",
                f"申请公开{received.year}年第{index % 97}号文件及其附件、相关会议纪要",
                answered,
                rng.choice(OUTCOMES) if answered else None,
                received + datetime.timedelta(days=2) if index % 13 == 0 else None,
                "是" if index % 11 == 0 else "否",
                opinion[0],
                opinion[1],
                "网络",
                None,
                f"138{index:08d}",
                "洛阳市洛龙区",
                None,
                "",
            ]
        )
    reviews = workbook.create_sheet(REVIEW_SHEET.title)
    reviews.append([column.header for column in REVIEW_SHEET.columns])
    lawsuits = workbook.create_sheet(LAWSUIT_SHEET.title)
    lawsuits.append([column.header for column in LAWSUIT_SHEET.columns])
    for index, (number, received) in enumerate(numbers, start=1):
        if index % 25 == 0:
            filed = received + datetime.timedelta(days=60)
            reviews.append(
                [number, filed, "维持", filed + datetime.timedelta(days=50), "区人民政府", ""]
            )
        if index % 100 == 0:
            lawsuits.append(
                [
                    number,
                    received + datetime.timedelta(days=120),
                    "是",
                    None,
                    None,
                    "区人民法院",
                    "",
                ]
            )
    workbook.save(path)


def setup_django(database_dir):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Production settings: with DEBUG on, Django keeps the SQL of the last 9,000 queries.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(database_dir) / "bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def max_rss_mb():
    # Linux reports kilobytes, macOS bytes.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="measure time without tracemalloc's overhead"
    )
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.generate:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        generate(args.generate, args.rows)
        return

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.xlsx"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--generate", str(path), "--rows", str(args.rows)],
            check=True,
        )
        print(
            f"生成 {args.rows} 行台账：{time.perf_counter() - started:.1f} 秒，文件 {path.stat().st_size / 1024 / 1024:.1f} MB"
        )

        setup_django(folder)
        from django.core.management import call_command

        from applications.models import AdministrativeReview, Application, Lawsuit

        rss_before = max_rss_mb()
        if not args.no_tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        call_command("import_ledger", str(path), "--org", "基准街道", "--create-org")
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if not args.no_tracemalloc else None
        tracemalloc.stop()
        print(
            f"导入：{elapsed:.1f} 秒；申请 {Application.objects.count()} 件，行政复议 {AdministrativeReview.objects.count()} 件，"
            f"行政诉讼 {Lawsuit.objects.count()} 件"
        )
        if peak is not None:
            print(
                f"tracemalloc 峰值（导入期间 Python 分配）：{peak:.1f} MB（计时含 tracemalloc 开销）"
            )
        print(f"进程最大常驻内存 maxrss：{max_rss_mb():.1f} MB（导入前 {rss_before:.1f} MB）")

        started = time.perf_counter()
        call_command("import_ledger", str(path), "--org", "基准街道")
        print(f"再次导入同一文件（全部无变化）：{time.perf_counter() - started:.1f} 秒")


if __name__ == "__main__":
    main()
