"""Saved mappings: a client's own way of reading a file no built-in source knows.

A saved mapping stores the data the shared mapping engine runs
(:class:`clients.sources.mapping.Mapping`, as JSON), under a name per client, with the header
of the file it was made for, so that a later file with the same header is recognized
(detection is given every saved mapping of the client). Staff may copy a mapping to the other
clients they manage.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.models import Client, User
from agency.selectors import clients_for_user, user_can_access_client
from clients import vocab
from clients.models import SavedMapping
from clients.sources.builtin import SOURCES
from clients.sources.mapping import Mapping, targets_of
from clients.sources.reading import normalized
from clients.words import column_name, value_label


def vocabulary_of(target: str) -> tuple[str, ...]:
    """The codes a canonical column's values must be (empty for a free column): its file values get a
    value table, a fixed value is chosen among them."""
    return vocab.COLUMN_VOCABULARIES.get(target, ())


def header_signature(header: Iterable[str]) -> str:
    """A digest of a header line, order, case, accents and spaces aside (what detection compares)."""
    cells = sorted(normalized(cell) for cell in header if cell.strip())
    return hashlib.sha256("\x1f".join(cells).encode("utf-8")).hexdigest()


def fixed_value_problem(kind: str, target: str, value: str) -> str:
    """Why a fixed value of a vocabulary column cannot be imported ("" when it is one of its codes)."""
    if not value or value in vocabulary_of(target) or not vocabulary_of(target):
        return ""
    return _("“%(value)s” is not a value of %(column)s: choose one from the menu.") % {
        "value": value, "column": column_name(kind, target)}


def mapping_problems(spec: dict[str, Any]) -> list[str]:
    """What makes a mapping unusable, in words for the person who made it (empty: usable).

    A fixed value outside its column's vocabulary is one: every row of every file would be refused."""
    try:
        mapping = Mapping.from_dict(spec)
    except (KeyError, TypeError, ValueError, AttributeError):
        return [_("The mapping is incomplete: choose the kind of data.")]
    fixed = [fixed_value_problem(mapping.kind, target, rule.value) for target, rule in mapping.columns.items()]
    return mapping.problems() + [problem for problem in fixed if problem]


def mapping_save(
    *, client: Client, name: str, spec: dict[str, Any], header: list[str], user: Any = None,
    mapping: SavedMapping | None = None,
) -> SavedMapping:
    """Store a mapping under ``name`` for ``client``; refused (ValidationError, nothing saved) when unusable.

    A mapping that leaves a required canonical column unmapped is refused, naming the column.
    """
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the mapping a name, such as “Salesforce leads report”.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    problems = mapping_problems(spec)
    if problems:
        errors["__all__"] = [_("This mapping cannot be saved: %(problems)s.") % {"problems": "; ".join(problems)}]
    if not [cell for cell in header if cell.strip()]:
        errors.setdefault("__all__", []).append(_("The file has no header line to recognize it by."))
    with tenant_context(client), transaction.atomic():
        if name and SavedMapping.objects.filter(name=name).exclude(pk=getattr(mapping, "pk", None)).exists():
            errors.setdefault("name", []).append(_("Another saved mapping has this name."))
        if errors:
            raise ValidationError(errors)
        stored = {**spec, "name": name, "header": list(header)}
        mapping = mapping or SavedMapping(created_by=user if getattr(user, "pk", None) else None)
        mapping.name, mapping.kind, mapping.header, mapping.spec = name, spec["kind"], list(header), stored
        mapping.header_signature = header_signature(header)
        mapping.save()
    return mapping


def source_extension_save(
    *, client: Client, source: str, header: list[str], columns: dict[str, str], values: dict[str, dict[str, str]],
    user: Any = None,
) -> SavedMapping:
    """Add to a built-in source for ``client``: file columns it ignored (target -> column) and value meanings.

    Stored as a saved mapping that ``extends`` the source (one per source and client; later
    additions merge into it), applied whenever the source is detected for this client
    (sources.md "Nothing is lost in silence"). Refused (ValidationError, nothing saved) for a
    target the source's kind lacks, a column the file lacks, or a value outside the vocabulary.
    """
    from_source = SOURCES.get(source)
    if from_source is None:
        raise ValidationError(_("Unknown source."))
    kind = from_source.kind
    allowed = set(targets_of(kind))
    present = {normalized(cell): cell for cell in header}
    problems = []
    for target, column in columns.items():
        if target not in allowed:
            problems.append(_("“%(target)s” is not a column of %(kind)s") % {"target": target, "kind": kind})
        if normalized(column) not in present:
            problems.append(_("the file has no column “%(column)s”") % {"column": column})
    for target, table in values.items():
        vocabulary = vocabulary_of(target)
        for meaning in table.values():
            if meaning not in vocabulary:
                problems.append(_("“%(value)s” is not one of %(words)s") % {"value": meaning, "words": ", ".join(vocabulary)})
    if problems:
        raise ValidationError(problems)
    with tenant_context(client), transaction.atomic():
        stored = SavedMapping.objects.select_for_update().filter(spec__extends=source).first()
        spec = dict(stored.spec) if stored else {"kind": kind, "extends": source, "columns": {}}
        rules = {target: dict(rule) for target, rule in (spec.get("columns") or {}).items()}
        for target, column in columns.items():
            rule = {"column": present[normalized(column)]}
            if "other" in vocabulary_of(target):
                rule["other"] = "other"  # values it does not know are counted on the preview and can be mapped
            rules[target] = rule
        for target, table in values.items():
            rule = rules.setdefault(target, {})
            rule["values"] = {**(rule.get("values") or {}), **table}
        name = stored.name if stored else (_("%(source)s: this client's additions") % {"source": from_source.label})[:100]
        spec.update({"kind": kind, "extends": source, "columns": rules, "name": name, "header": list(header)})
        stored = stored or SavedMapping(created_by=user if getattr(user, "pk", None) else None)
        stored.name, stored.kind, stored.header, stored.spec = name, kind, list(header), spec
        stored.header_signature = header_signature(header)
        stored.save()
    return stored


def extension_summary(spec: dict[str, Any]) -> list[str]:
    """What a client's additions to a built-in source add, one line each (the saved mappings list)."""
    lines = []
    source = SOURCES.get(spec.get("extends", ""))
    kind = source.kind if source else str(spec.get("kind") or "")
    for target, rule in sorted((spec.get("columns") or {}).items()):
        name = column_name(kind, target)  # the portal's column in words, as the editor names it
        if rule.get("column"):
            lines.append(f"{name} ← {rule['column']}")
        lines += [f"{name}: {raw} → {value_label(meaning)}" for raw, meaning in sorted((rule.get("values") or {}).items())]
    return lines


def mapping_delete(*, client: Client, mapping_id: int) -> None:
    """Remove a saved mapping; one a scheduled source reads with is kept (ValidationError)."""
    with tenant_context(client):
        mapping = SavedMapping.objects.filter(pk=mapping_id).first()
        if mapping is None:
            return
        if mapping.schedules.exists():
            raise ValidationError(_("A scheduled source reads its file with this mapping: change that source first."))
        mapping.delete()


def mapping_copy(*, mapping: SavedMapping, to_clients: list[Client], user: User) -> list[Client]:
    """Copy a saved mapping to other clients ``user`` may manage, all or nothing.

    Refused (ValidationError, nothing copied) when the user may not manage one of them (staff
    and admins only, and staff only their assigned clients) or one already has a mapping of
    that name.
    """
    problems = []
    for client in to_clients:
        if not (user.is_agency and user_can_access_client(user=user, client=client)):
            problems.append(_("You may not manage %(client)s.") % {"client": client.name})
            continue
        with tenant_context(client):
            if SavedMapping.objects.filter(name=mapping.name).exists():
                problems.append(_("%(client)s already has a mapping named “%(name)s”.")
                                % {"client": client.name, "name": mapping.name})
    if problems:
        raise ValidationError(problems)
    for client in to_clients:
        with tenant_context(client):
            SavedMapping.objects.create(
                name=mapping.name, kind=mapping.kind, header=mapping.header, header_signature=mapping.header_signature,
                spec=mapping.spec, created_by=user,
            )
    return to_clients


# --- reads ----------------------------------------------------------------------------------

def saved_mappings() -> list[SavedMapping]:
    """The current schema's saved mappings, by name."""
    return list(SavedMapping.objects.order_by("name"))


def mapping_get(*, mapping_id: int) -> SavedMapping | None:
    """A saved mapping of the current schema, to edit, copy or remove."""
    return SavedMapping.objects.filter(pk=mapping_id).first()


def saved_mappings_as_engine() -> list[Any]:
    """The current schema's saved mappings as the engine's Mapping objects (for detection)."""
    return [Mapping.from_dict({**m.spec, "name": m.name, "header": m.header}) for m in saved_mappings()]


def mapping_copy_targets(*, user: User, current: Client) -> list[Client]:
    """The other clients ``user`` may copy a mapping to (the clients they manage)."""
    if not user.is_agency:
        return []
    return list(clients_for_user(user=user).exclude(pk=current.pk).filter(is_ready=True).order_by("name"))


def saved_mappings_for(client: Client) -> list[Any]:
    """A client's saved mappings for the core's detection (registered in ClientsConfig.ready)."""
    with tenant_context(client):
        return saved_mappings_as_engine()
