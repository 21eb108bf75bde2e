"""Territory API: org tree, grids (GeoJSON), buildings, residents (scoped and masked), locate."""

from __future__ import annotations

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["territory"], auth=django_auth)
