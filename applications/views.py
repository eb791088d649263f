from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Application, Organization


@login_required
def home(request):
    """The signed-in user's start page: their office and its open applications."""
    applications = Application.objects.visible_to(request.user)
    context = {
        "organizations": Organization.objects.visible_to(request.user),
        "pending_count": applications.pending().count(),
        "answered_count": applications.answered().count(),
        "recent_pending": applications.pending().select_related("organization").order_by("received_on", "id")[:10],
    }
    return render(request, "applications/home.html", context)
