from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Until a user flagged must_change_password sets their own password, every page
    leads to the password-change page (accounts.admin.OwnPasswordChangeForm clears it)."""

    allowed_url_names = ["admin:password_change", "admin:password_change_done", "admin:logout", "admin:login", "admin:jsi18n"]

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.allowed_url_names}
            if request.path not in allowed:
                messages.warning(request, "为了账号安全，请先修改初始密码，修改后才能继续使用。")
                return redirect("admin:password_change")
        return self.get_response(request)
