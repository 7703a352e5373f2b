"""Reasons kept as a message and its values, translated where they are read.

Work done in a worker (a connector's sync) runs in English, but what it leaves for people to read
(why a sync failed) is shown in each reader's language. A :class:`Words` keeps the message id
(a literal marked with ``gettext_noop``) and its values, serializes to JSON for a model field, and
becomes text in the active language with ``str()``. Pure: no database, importable by any app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext


@dataclass(frozen=True)
class Words:
    """A reason kept as its message and values, so each reader sees it in their own language
    (the sync runs in a worker, in English; staff read it in Spanish). Values may be Words too;
    what a platform said itself stays in its words."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        text = gettext(self.msgid)
        return text % {key: str(value) for key, value in self.params.items()} if self.params else text

    def to_json(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": {key: value.to_json() if isinstance(value, Words) else value
                                                for key, value in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Words:
        return cls(data.get("msgid", ""), {key: cls.from_json(value) if isinstance(value, dict) else value
                                           for key, value in (data.get("params") or {}).items()})


def say(msgid: str, **params: Any) -> Words:
    """A reason in words, translated where it is read (``msgid`` is a literal marked for translation)."""
    return Words(msgid, params)
