"""The district's rollup workbook, made by the task worker (jobs.runner.HANDLERS).

The district board's button queues it (start_rollup); the worker computes the rollup over
the offices the requesting user sees, exactly as the board does, writes the workbook with
the synchronous builder (reports.figures.district.rollup_workbook) to the job's file
(jobs.outputs), and the job's page offers it for download.
"""

from applications.models import Organization
from jobs.models import Job
from jobs.outputs import finish_with_workbook, remove_old_outputs
from jobs.runner import job_finished
from jobs.tasks import enqueue

from .figures import district as districts

NO_OFFICES = (
    "{district}已没有您可以查看的下级机关，无法汇总。"
    "请回到“年度报告”页面重新选择，或请系统管理员检查机关的上级设置和您的权限。"
)


def rollup_filename(district, year):
    return f"{district.short_name}{year}年政府信息公开工作年度报告汇总.xlsx"


def start_rollup(district, year, user):
    """Queue the rollup workbook of a district's year; the Job."""
    remove_old_outputs()
    job = Job.objects.create(
        kind=Job.Kind.ROLLUP_WORKBOOK,
        user=user,
        organization=district,
        filename=rollup_filename(district, year),
        params={"year": year},
    )
    return enqueue(job)


def rollup_workbook_job(job, progress):
    district, year = job.organization, job.params["year"]
    offices = districts.district_offices(district, Organization.objects.visible_to(job.user))
    if not offices:
        job_finished(job, errors=[{"message": NO_OFFICES.format(district=district.name)}])
        return
    total = len(offices)
    progress(
        f"计算汇总数字：{district.short_name}本级和 {total} 个下级机关", force=True, total=total
    )
    result = districts.rollup(district, year, offices)
    progress("写入工作簿…", force=True, read=total, checked=total)

    def build():
        content = districts.rollup_workbook(result, districts.rollup_charts(result))
        progress("保存工作簿文件…", force=True, written=total)
        return content

    finish_with_workbook(
        job,
        build,
        summary=f"汇总了 {len(result.rows)} 个机关的数字，"
        f"其中 {result.submitted_count} 个采用报送工作簿",
        result={"offices": len(result.rows)},
        total=total,
        read=total,
        checked=total,
        written=total,
    )
