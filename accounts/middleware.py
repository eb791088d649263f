from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Until a user flagged must_change_password sets a password of their own, every page
    leads to the admin's password-change page; a successful change there lifts the flag."""

    allowed_url_names = [
        "admin:password_change",
        "admin:password_change_done",
        "admin:logout",
        "admin:login",
        "admin:jsi18n",
    ]

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.must_change_password:
            return self.get_response(request)
        change_url = reverse("admin:password_change")
        if request.path not in {reverse(name) for name in self.allowed_url_names}:
            messages.warning(request, "为了账号安全，请先修改初始密码，修改后才能继续使用。")
            return redirect(change_url)
        response = self.get_response(request)
        changed = (
            request.path == change_url
            and request.method == "POST"
            and response.status_code == 302
            and response.get("Location") == reverse("admin:password_change_done")
        )
        if changed:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        return response
