"""JSON API for appeals under /api/appeals: submit (with Idempotency-Key), list (scoped, masked), detail with the
trace, and every transition as POST /api/appeals/{id}/<action>. Errors are {code, message, extra}.

Session authentication (the API is used by the pages and by systems signed in as a service account); submit
also accepts a guest who gives a mobile number.

Rooms, by noun: `common` (the router, the row and detail every answer is made of, the operation ids), `intake`
(submit, raise from a visit), `reads` (list, tables, figures, whistle requests, detail, photo, trace), `actions`
(the one POST /{appeal_id}/<action> mechanism), `handling` (dispatch to urging), `whistle` (summons, parts, the
grid worker's whistle requests), `closing` (rating, close, callback, merge, split, withdraw, first-contact
answer) and `additions` (comments, photos, information, voice, reopen, withholding, following).
"""

from __future__ import annotations

# The rooms register their routes on import, in this order: the order is the URL patterns' (literal paths such
# as "/figures" before "/{appeal_id}") and the OpenAPI document's.
# isort: off
from .common import router
from . import intake, reads, handling, whistle, closing, additions  # noqa: F401

# isort: on

__all__ = ["router"]
