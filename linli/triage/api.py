"""Triage API: a category suggestion for a text (staff), and the model versions with their evaluation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.scoping import is_staff_member

from . import selectors, services

router = Router(tags=["triage"])


class ClassifyIn(Schema):
    title: str = ""
    text: str = ""


class SuggestionOut(Schema):
    category_code: str
    confidence: float
    probability: float
    confident: bool
    alternatives: list[
        list[str | float]
    ]  # [code, probability] pairs (a tuple is no valid OpenAPI 3.0 schema)
    model_version: int


class CategoryGuessOut(Schema):
    category_code: str
    confidence: float
    part: str


class CategoriesOut(Schema):
    categories: list[CategoryGuessOut]
    model_version: int


class VersionOut(Schema):
    number: int
    created_at: str
    is_active: bool
    trained_on: dict[str, Any]
    metrics: dict[str, Any]


def _staff(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Only staff may use the classifier."))


@router.post("/classify", response=SuggestionOut)
def classify(request: HttpRequest, payload: ClassifyIn) -> dict[str, Any]:
    _staff(request)
    if not (payload.title.strip() or payload.text.strip()):
        raise ValidationFailed(_("An example needs a title or a text."), extra={"field": "text"})
    s = services.classify(title=payload.title[: services.MAX_TITLE], text=payload.text[: services.MAX_TEXT])
    return {
        "category_code": s.category_code,
        "confidence": s.confidence,
        "probability": s.probability,
        "confident": s.confident,
        "alternatives": s.alternatives,
        "model_version": s.model_version,
    }


@router.post("/categories", response=CategoriesOut)
def categories(request: HttpRequest, payload: ClassifyIn) -> dict[str, Any]:
    """Up to three categories for a message that may raise several issues, most likely first."""
    _staff(request)
    if not (payload.title.strip() or payload.text.strip()):
        raise ValidationFailed(_("An example needs a title or a text."), extra={"field": "text"})
    number, _model = selectors.active_model()
    guesses = services.suggest_categories(
        title=payload.title[: services.MAX_TITLE], text=payload.text[: services.MAX_TEXT]
    )
    return {
        "categories": [
            {"category_code": g.category_code, "confidence": g.confidence, "part": g.part} for g in guesses
        ],
        "model_version": number,
    }


@router.get("/versions", response=list[VersionOut])
def versions(request: HttpRequest) -> list[dict[str, Any]]:
    _staff(request)
    return [
        {
            "number": v.number,
            "created_at": v.created_at.isoformat(),
            "is_active": v.is_active,
            "trained_on": v.trained_on,
            "metrics": v.metrics,
        }
        for v in selectors.model_versions()
    ]
