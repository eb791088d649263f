"""Django's and its add-ons' own words that read wrong in Chinese, put right in one place.

Their zh-hans catalogs leave a few strings in English or with Western punctuation (a label
ending in ":", "Error:" in a tab title, the add-user hint). Rather than shipping compiled
.mo files, the few corrections are laid over the loaded catalog at start-up.
"""

from django.core.signals import setting_changed
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
}


def apply_overrides():
    catalog = trans_real.translation(LANGUAGE)._catalog
    for english, chinese in OVERRIDES.items():
        catalog[english] = chinese


def _reapply(setting, **kwargs):
    # Changing these settings (in tests) throws the loaded catalogs away.
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        apply_overrides()


setting_changed.connect(_reapply, dispatch_uid="gongkai-wording")
