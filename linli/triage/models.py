"""Triage data: the labelled examples a deployment collects, and the versions of its trained classifier."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import ExampleSource


class LabelledExample(models.Model):
    """One appeal text with the category a person chose or corrected; training data for the next model."""

    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    category_code = models.CharField(_("category code"), max_length=100, db_index=True)
    source = models.CharField(_("source"), max_length=16, choices=ExampleSource.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("labelled example")
        verbose_name_plural = _("labelled examples")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.category_code}: {(self.title or self.text)[:40]}"


def model_upload_to(instance: ModelVersion, filename: str) -> str:
    return f"triage/model-v{instance.number}.joblib"


class ModelVersion(models.Model):
    """A trained classifier: its file, what it was trained on, how well it scored, and whether it is in use."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trained_on = models.JSONField(_("trained on"), default=dict, blank=True)
    metrics = models.JSONField(_("evaluation"), default=dict, blank=True)
    blob = models.FileField(_("model file"), upload_to=model_upload_to)
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="triage_one_active_model"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.number}{' *' if self.is_active else ''}"


class TextEmbedding(models.Model):
    """The sentence encoder's embedding of one text (title + text), kept so that the worker never embeds a
    labelled example twice: retraining reads these and embeds only texts it has not seen (encoder.py)."""

    key = models.CharField(_("key"), max_length=20)  # encoder.key of the encoder text
    encoder = models.CharField(_("encoder"), max_length=60)
    vector = models.BinaryField(_("vector"))  # float16 × 384
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("text embedding")
        verbose_name_plural = _("text embeddings")
        constraints = [
            models.UniqueConstraint(fields=["encoder", "key"], name="triage_one_embedding_per_text")
        ]

    def __str__(self) -> str:
        return f"{self.encoder}:{self.key}"


class Refinement(models.Model):
    """The worker's second look at one appeal that waited for a person: the suggestion of the model in use
    refined by the sentence encoder. One row per appeal, so each appeal is refined once; the row is also the
    worker's claim (`claimed_until`, compare-and-swap) while it embeds the text."""

    appeal_id = models.PositiveBigIntegerField(
        _("appeal"), unique=True
    )  # appeals' id (triage cannot import it)
    text_key = models.CharField(
        _("text key"), max_length=20, db_index=True
    )  # encoder.key of the appeal's text
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    category_code = models.CharField(_("category code"), max_length=100, blank=True)
    probability = models.FloatField(_("probability"), default=0.0)
    confidence = models.FloatField(_("confidence"), default=0.0)
    alternatives = models.JSONField(_("alternatives"), default=list, blank=True)
    model_version = models.PositiveIntegerField(_("model version"), default=0)
    encoder = models.CharField(_("encoder"), max_length=60, blank=True)
    applied = models.BooleanField(_("applied"), default=False)

    class Meta:
        verbose_name = _("refinement")
        verbose_name_plural = _("refinements")

    def __str__(self) -> str:
        return f"#{self.appeal_id} {self.category_code} {self.confidence:.2f}"
