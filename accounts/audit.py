"""Recording audit events; every screen that exports or downloads ledger data calls record()."""

from .models import AuditEvent


def client_ip(request):
    """The client's address as Django sees it (REMOTE_ADDR; a trusted proxy must set it)."""
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record(request, action, detail="", organization=None, user=None, username=""):
    """Add one audit event for this request's user (or the given user)."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        user=user,
        username=username or (user.get_username() if user else ""),
        action=action,
        organization=organization,
        ip_address=client_ip(request),
        detail=detail,
    )
