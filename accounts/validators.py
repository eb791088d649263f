from django.contrib.auth.password_validation import (
    MinimumLengthValidator as BaseMinimumLengthValidator,
)
from django.core.exceptions import ValidationError


class NotCurrentPasswordValidator:
    """A new password must be new: changing an initial password to itself changes nothing."""

    def validate(self, password, user=None):
        if (
            user is not None
            and user.pk
            and user.has_usable_password()
            and user.check_password(password)
        ):
            raise ValidationError(
                "新密码不能与原密码相同，请设置一个新的密码。", code="password_unchanged"
            )

    def get_help_text(self):
        return "新密码不能与原密码相同。"


class MinimumLengthValidator(BaseMinimumLengthValidator):
    """Django's length rule, with its message in Chinese (Django's own is left untranslated)."""

    def get_error_message(self):
        return f"密码太短：至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"
