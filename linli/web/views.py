from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linli.accounts.auth import request_account
from linli.accounts.models import User
from linli.core.pages import staff_page
from linli.core.roles import Role
from linli.core.scoping import is_admin
from linli.party.selectors import party_members_visible_to
from linli.territory import selectors as territory


class LinliLoginView(LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


def scope_counts(user: User) -> list[dict[str, Any]]:
    """Quick counts of what the user may see, for the landing page."""
    members = party_members_visible_to(user)
    return [
        {"key": "grids", "count": territory.grids_visible_to(user).count()},
        {"key": "buildings", "count": territory.buildings_visible_to(user).count()},
        {"key": "households", "count": territory.households_visible_to(user).count()},
        {"key": "residents", "count": territory.residents_visible_to(user).count()},
        {"key": "party_members", "count": members.count()},
    ]


@staff_page
def home(request: HttpRequest) -> HttpResponse:
    user = request_account(request)  # staff_page guarantees a signed-in staff member
    node = user.org_node
    context = {
        "chain": node.chain() if node is not None else [],
        "organisation": user.organisation,
        "counts": scope_counts(user),
        "my_grids": list(territory.grids_visible_to(user).filter(workers=user).order_by("code")),
        "is_department": user.role == Role.DEPARTMENT_HANDLER,
        "role_label": Role.ADMIN.label if is_admin(user) else Role(user.role).label,
    }
    return render(request, "web/home.html", context)
