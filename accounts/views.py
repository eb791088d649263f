from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.shortcuts import render


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: a Chinese page, HTTP 429."""
    cool_off = get_cool_off(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "accounts/lockout.html", context, status=429)
