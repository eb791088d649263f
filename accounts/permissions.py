"""The one home of the permission names the code checks ("app_label.codename").

Every `has_perm()`, every role grant (accounts/roles.py) and every model's custom
`Meta.permissions` imports its name from here. Django's own model permissions
("app.add_model" …) are built by accounts.roles.model_permissions(); the ones the code
checks by name are spelled out below. This module imports nothing, so models can use it.
"""

# A district (or system administrator) sees the offices under its own office.
VIEW_SUBORDINATE_OFFICES = "applications.view_subordinate_offices"
# Ledger exports carry applicants' ID and phone numbers (applications/masking.py).
EXPORT_PERSONAL_DATA = "applications.export_personal_data"
# An official (审核人) signs off the annual report (定稿).
SIGN_OFF_REPORT = "reports.sign_off_report"
# The district takes in the workbooks of offices that do not use gongkai.
ACCEPT_SUBMITTED_REPORT = "reports.accept_submitted_report"
# Officials and the district download the report (workbook, Word file); clerks read the page only.
DOWNLOAD_REPORT = "reports.view_reportsignoff"
# Letters (告知书): the office's clerks issue them and work out the fee; whoever reads the
# ledger reads and downloads them; the 系统管理员 sets up each office's relief bodies,
# 文号 pattern and own templates.
ISSUE_LETTER = "letters.add_issuedletter"
VIEW_LETTER = "letters.view_issuedletter"
RECORD_FEE = "letters.add_feeassessment"

# What the custom permissions are called on screen (Meta.permissions, roles.EXTRA_PERMISSIONS).
PERMISSION_LABELS = {
    VIEW_SUBORDINATE_OFFICES: "可查看下级机关的台账和报告",
    EXPORT_PERSONAL_DATA: "可导出申请人个人信息（证件号码、联系电话）",
    SIGN_OFF_REPORT: "可对年度报告定稿",
    ACCEPT_SUBMITTED_REPORT: "可接收下级机关报送的年度报告工作簿",
}


def app_label(permission: str) -> str:
    return permission.split(".", 1)[0]


def codename(permission: str) -> str:
    return permission.split(".", 1)[1]


def meta_permission(permission: str) -> tuple[str, str]:
    """The (codename, label) pair a model's Meta.permissions declares for `permission`."""
    return (codename(permission), PERMISSION_LABELS[permission])
