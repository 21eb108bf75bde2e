"""What a request's body names by id (or by code), looked up one way in every router: a `department_id`, a `grid_id`,
a list of `member_ids`. A body id that names nothing the caller may see is the body's fault, not the address's: it is
refused as a field is (422 `invalid`, the field named in `extra.fields` with what is wrong, in the reader's language,
as core/api_errors.py says pydantic's refusals), never answered 404 as if the URL were wrong. An id in the path
(`/api/appeals/123`) stays a 404: that is the address naming nothing.

    grid = body_ref("grid_id", grids_visible_to(user), payload.grid_id)
    to = body_ref("to_household_id", partial(selectors.household_get_for, user), payload.to_household_id)
    units = body_refs("organisation_ids", organisations_for(user), payload.organisation_ids)
    accounts = body_refs("legs.{}.account_id", BankAccount.objects.all(), [leg.account_id for leg in legs])

The source is a scoped queryset or a scoped selector taking the value (one that raises NotFound), so an object
outside the caller's scope reads exactly as one that does not exist. An optional id given as None is None."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, get_type_hints, overload

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Field, Model, QuerySet
from django.utils.translation import gettext as _

from .api_errors import refused_request_message
from .errors import NotFound, ValidationFailed

_NOTHING = object()

type Source[M: Model] = QuerySet[M] | Callable[[Any], M]


def _said(values: Iterable[Any]) -> str:
    return "、".join(str(v) for v in values)


def not_found_words(values: Iterable[Any], model: type[Model] | None = None) -> str:
    """What is wrong with a field whose value(s) name nothing the caller may see: 找不到您可查看的网格 999。"""
    if model is not None:
        return _("No %(thing)s %(value)s that you may see.") % {
            "thing": model._meta.verbose_name,
            "value": _said(values),
        }
    return _("Nothing found for %(value)s that you may see.") % {"value": _said(values)}


def _model_of(source: Any) -> type[Model] | None:
    """The model a queryset holds, or the one a selector says it returns (`-> Grid`), to name the thing refused."""
    if isinstance(source, QuerySet):
        return source.model
    func = source.func if isinstance(source, partial) else source
    try:
        returned = get_type_hints(func).get("return")
    except (NameError, TypeError, AttributeError):  # an annotation imported for type checking only
        return None
    return returned if isinstance(returned, type) and issubclass(returned, Model) else None


def _key_field(model: type[Model], key: str) -> Field[Any, Any]:
    """The field a body's value is looked up by (`pk`: the primary key). Its `to_python` turns the value into what
    the field holds, and raises Django's ValidationError for a value it cannot hold ("abc" for an id): such a value
    names nothing, the one refusal the conversion makes."""
    field = model._meta.pk if key == "pk" else model._meta.get_field(key)
    assert isinstance(field, Field), f"{model.__name__}.{key} is not a field to look up by"
    return field


def _loc(field: str) -> list[str | int]:
    return ["body", *(int(p) if p.isdigit() else p for p in field.split("."))]


def ref_refused(refused: dict[str, tuple[str, Any]]) -> ValidationFailed:
    """The 422 for body fields that name nothing: field → (words, the value given). The shape of every refused
    field: `extra.fields` (field → words), `extra.field` (the first), and `extra.errors` in pydantic's form with the
    type `not_found`, for programs."""
    fields = {name: words for name, (words, _value) in refused.items()}
    errors = [
        {"type": "not_found", "loc": _loc(name), "msg": words, "input": value}
        for name, (words, value) in refused.items()
    ]
    return ValidationFailed(
        refused_request_message(fields),
        extra={"field": next(iter(fields)), "fields": fields, "errors": errors},
    )


@overload
def body_ref[M: Model](
    field: str, source: Source[M], value: int | str, *, key: str = "pk", words: str | None = None
) -> M: ...


@overload
def body_ref[M: Model](
    field: str, source: Source[M], value: None, *, key: str = "pk", words: str | None = None
) -> None: ...


@overload
def body_ref[M: Model](
    field: str, source: Source[M], value: int | str | None, *, key: str = "pk", words: str | None = None
) -> M | None: ...


def body_ref[M: Model](
    field: str, source: Source[M], value: Any, *, key: str = "pk", words: str | None = None
) -> M | None:
    """The object the body's `field` names by `value` (its `key`, the primary key unless said), from a scoped
    queryset or a scoped selector; None for None; a value naming nothing the caller may see is refused (422) with
    the field named, in `words` when the endpoint has better ones than "no such thing you may see"."""
    if value is None:
        return None
    try:
        if isinstance(source, QuerySet):
            # Only the value's conversion to the key's type may fail for the value's sake; any other TypeError or
            # ValueError is a mistake in the code and must not pass for the caller's (a 422 hiding a bug).
            return source.get(**{key: _key_field(source.model, key).to_python(value)})
        return source(value)
    except (ObjectDoesNotExist, NotFound, DjangoValidationError):
        said = words if words is not None else not_found_words([value], _model_of(source))
        raise ref_refused({field: (said, value)}) from None


def body_refs[M: Model](
    field: str, source: QuerySet[M], values: Sequence[Any], *, key: str = "pk"
) -> list[M]:
    """The objects a list in the body names, in the order given (each once), in one query. The ones that name
    nothing the caller may see are refused together: under `field` with the values listed ("organisation_ids":
    找不到您可查看的单位 5、7。), or, when `field` holds "{}", each under its own position ("legs.{}.account_id":
    "legs.1.account_id")."""
    wanted = list(dict.fromkeys(values))
    key_field = _key_field(source.model, key)
    as_key = {}
    for value in wanted:
        try:
            as_key[value] = key_field.to_python(value)
        except DjangoValidationError:  # a value the key cannot hold names nothing
            continue
    found = {getattr(obj, key): obj for obj in source.filter(**{f"{key}__in": list(as_key.values())})}
    missing = [v for v in wanted if as_key.get(v, _NOTHING) not in found]
    if not missing:
        return [found[as_key[v]] for v in wanted]
    model = source.model
    if "{}" not in field:
        raise ref_refused({field: (not_found_words(missing, model), missing)})
    raise ref_refused(
        {field.format(i): (not_found_words([v], model), v) for i, v in enumerate(values) if v in missing}
    )
