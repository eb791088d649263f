from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Notification

PAGE_SIZE = 30


@login_required
def notification_list(request):
    """The signed-in person's 提醒, newest first; unread ones marked."""
    mine = Notification.objects.for_user(request.user)
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread_count": mine.unread().count()}
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request):
    """Mark one notification (?id=) or all of one's own as read; others' are never touched."""
    mine = Notification.objects.for_user(request.user).unread()
    chosen = request.POST.get("id", "")
    if chosen.isdigit():
        mine = mine.filter(pk=int(chosen))
    elif chosen != "all":
        return redirect("notifications:list")
    mine.update(read_at=timezone.now())
    return redirect("notifications:list")
