"""Recording audit events; every screen that exports or downloads ledger data calls record()."""

from .models import AuditEvent


def client_ip(request):
    """The client's address as Django sees it (REMOTE_ADDR; a trusted proxy must set it)."""
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record(request, action, detail="", organization=None, user=None, username=""):
    """Add one audit event for this request's user (or the given user).

    `organization` (an Organization or its id) defaults to the user's office, so that the
    office's 系统管理员 sees the event.
    """
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    organization_id = getattr(organization, "pk", organization)
    if organization_id is None and user is not None:
        organization_id = user.organization_id
    return AuditEvent.objects.create(
        user=user,
        username=username or (user.get_username() if user else ""),
        action=action,
        organization_id=organization_id,
        ip_address=client_ip(request),
        detail=detail,
    )
