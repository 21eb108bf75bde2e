"""/appeals/ itself and the signed-in person's notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linli.core.models import Notification
from linli.core.outbox import notifications_mark_read, notifications_unread_count
from linli.core.pages import safe_url
from linli.core.scoping import is_staff_member

from .common import resident_login_url, visitor
from .listing import address_notes, paged


def index(request: HttpRequest) -> HttpResponse:
    """/appeals/: staff go to their workbench, residents and guests to their appeals or the report page."""
    if is_staff_member(request.user):
        return redirect("appeals:workbench")
    if request.user.is_authenticated:
        return redirect("appeals:mine")
    return redirect("appeals:new")


def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notifications, newest first; opening one marks it read."""
    user = visitor(request)
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), resident_login_url())
    if request.method == "POST":
        raw = request.POST.get("id", "")
        if raw.isdigit():
            notifications_mark_read(actor=user, ids=[int(raw)])
            target = Notification.objects.filter(user=user, pk=int(raw)).values_list("url", flat=True).first()
            if safe := safe_url(request, target):
                return redirect(safe)
        else:
            count = notifications_mark_read(actor=user)
            messages.success(request, _("%(n)s notifications marked read.") % {"n": count})
        return redirect("appeals:inbox")
    qs = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    page = paged(request, qs, 30)
    unread = notifications_unread_count(user)
    notes = address_notes(request, ["page"], page)
    return render(request, "appeals/inbox.html", {"page": page, "unread": unread, "address_notes": notes})
