"""Django's and its add-ons' own words that read wrong in Chinese, put right in one place.

Their zh-hans catalogs leave a few strings in English or with Western punctuation (a label
ending in ":", "Error:" in a tab title, the add-user hint). Rather than shipping compiled
.mo files, the few corrections are laid over the loaded catalog at start-up.
"""

from django.contrib.admin.templatetags import admin_list
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import trans_real

LANGUAGE = "zh-hans"

OVERRIDES = {
    ":": "：",
    "Error:": "有错误：",
    "After you’ve created a user, you’ll be able to edit more user options.": (
        "保存后可以继续设置该用户的其他信息（所属机关、角色等）。"
    ),
    "After you've created a user, you'll be able to edit more user options.": (
        "保存后可以继续设置该用户的其他信息（所属机关、角色等）。"
    ),
    "Change history: %s": "修改历史：%s",
    "View history: %s": "查看历史记录：%s",
    # The admin index's column headings (read out by screen readers).
    "Model name": "名称",
    "Add link": "增加",
    "Change or view list link": "修改或查看",
    "Whether the user will be able to authenticate using a password or not. "
    "If disabled, they may still be able to authenticate using other backends, "
    "such as Single Sign-On or LDAP.": "选择“禁用”的，该用户不能用密码登录。",
}

BOOLEAN_ALT = {True: "是", False: "否", None: "未知"}


def _boolean_icon(field_val):
    """Django's yes/no icon, with its alt text in Chinese (Django writes "True"/"False")."""
    icon_url = static(
        "admin/img/icon-{}.svg".format({True: "yes", False: "no", None: "unknown"}[field_val])
    )
    return format_html('<img src="{}" alt="{}">', icon_url, BOOLEAN_ALT[field_val])


def apply_overrides():
    admin_list._boolean_icon = _boolean_icon
    catalog = trans_real.translation(LANGUAGE)._catalog
    for english, chinese in OVERRIDES.items():
        catalog[english] = chinese


def _reapply(setting, **kwargs):
    # Changing these settings (in tests) throws the loaded catalogs away.
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        apply_overrides()


setting_changed.connect(_reapply, dispatch_uid="gongkai-wording")
