"""The project's URLs plus one screen whose parameter the isolation matrix cannot fill."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def mystery_screen(request, widget_id):
    return HttpResponse("")


urlpatterns = [
    *project_urlpatterns,
    path("mystery/<int:widget_id>/", mystery_screen, name="mystery_screen"),
]
