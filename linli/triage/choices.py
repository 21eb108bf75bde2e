from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.choices import ColouredChoices


class ExampleSource(ColouredChoices):
    """Where a labelled example came from."""

    CORRECTION = "correction", "orange", _("Correction by staff")
    INTAKE = "intake", "blue", _("Chosen at intake")
    IMPORT = "import", "grey", _("Imported")
