from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExampleSource(models.TextChoices):
    """Where a labelled example came from."""

    CORRECTION = "correction", _("Correction by staff")
    INTAKE = "intake", _("Chosen at intake")
    IMPORT = "import", _("Imported")


EXAMPLE_SOURCE_COLOURS = {
    ExampleSource.CORRECTION: "orange",
    ExampleSource.INTAKE: "blue",
    ExampleSource.IMPORT: "grey",
}
