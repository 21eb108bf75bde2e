"""Background job of triage, registered with linli.core.jobs in TriageConfig.ready() and run by `linli worker`.

`triage.retrain` is the classifier's self-learning: it counts the human labels recorded since the last version
was trained (one query) and, once LINLI_TRIAGE_RETRAIN_EVERY of them have accumulated, trains a candidate and
switches to it only when it is not worse (services.model_version_retrain). Training takes seconds on a young
deployment and minutes at 100,000 labels; run a worker of its own (`linli worker --job triage.retrain`) when the
other jobs must not wait that long. Two workers that train at once are harmless: the second to finish finds the
labels already used and stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from . import services


def retrain() -> int:
    return 1 if services.model_version_retrain(actor=None) is not None else 0


JOBS: dict[str, Callable[[], int]] = {"triage.retrain": retrain}
