"""What a person typed into a form that was refused after it was sent, kept for the page they are sent back to.

A form that is not a Django form on its page (a reason typed beside a button, a note in a table row) posts to an
action's address; when the service refuses it (a text too long, a reason missing), `core.pages` says why and
sends the person back to the page. `keep_posted(request)` puts the texts of that post in the session, under the
address it was posted to; the page shown next takes them out once (`{% kept_input %}` of `core.kept` tags, in
web/base.html) and web/site.js fills the form posted to that address again, so nothing typed is lost. A page shown
again in answer to the refused post itself (at the action's address, as appeals' pages do) carries what that post
typed the same way."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

SESSION_KEY = "linli_kept_input"
# Not kept: the form's machinery, and anything secret.
SKIPPED = {"csrfmiddlewaretoken", "next", "idempotency_key"}  # and any field whose name says "password"
MOST_CHARACTERS = 20_000  # more than every limited text of a form together


def posted_texts(request: HttpRequest) -> dict[str, Any] | None:
    """The texts `request` posted, with the address they were posted to, or None when it posted none."""
    if request.method != "POST":
        return None
    fields: dict[str, str] = {}
    total = 0
    for name, values in request.POST.lists():
        if name in SKIPPED or "password" in name or len(values) != 1 or not values[0].strip():
            continue
        total += len(values[0])
        if total > MOST_CHARACTERS:
            return None
        fields[name] = values[0]
    return {"action": request.path, "fields": fields} if fields else None


def keep_posted(request: HttpRequest) -> None:
    """Keep the texts `request` posted (when it is a form's post) for the page shown next."""
    kept = posted_texts(request)
    if kept is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = kept


def take_kept(request: HttpRequest) -> dict[str, Any] | None:
    """What to fill in again on this page: when the page answers a post (a refused form shown again at the address
    it was posted to: a page answering a post that was taken redirects), what that post typed; else what a refused
    post kept for the page it was sent back to, taken out of the session (shown once)."""
    if request.method == "POST":
        return posted_texts(request)
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return None
    kept = session.pop(SESSION_KEY)
    return kept if isinstance(kept, dict) else None
