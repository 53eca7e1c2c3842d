"""Completeness: a final save needs every answer a DTKS proposal needs (issue 14).

Which answers those are is data: the household schema marks each with `"x-core": true`
(`resources/schema/household.schema.json`; the address, RW, RT and No. KK, six fields of every
member, and the housing questions the questionnaire treats as core). The rules read no files:
`from_schema` turns the schema into `Requirement`s, and the document layer, which loads the
schema, names it with `use_schema` (app/core/document.py does so when imported); `evaluate`
can also be handed requirements. A member's answer marked `"x-core-relationships": [codes]`
beside `x-core` is needed only from members of those relationships (`MemberRequirement`): the
mother's name of the head and the spouse (schema v2, issue 18), what SIKS-NG matches on. Each
answer not given is an error (rule `answer_missing`), so a draft may stay incomplete but a final
save is refused until it is complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.rules.context import (
    Context,
    Requirement,
    member_path,
    members,
    section,
    unanswered,
)
from app.rules.findings import Finding

RULE = "answer_missing"
SOURCE = "Kelengkapan data DTKS (Kemensos)"
MARK = "x-core"
MEMBERS = "members"
FOR_RELATIONSHIPS = "x-core-relationships"


@dataclass(frozen=True)
class MemberRequirement(Requirement):
    """A member's answer needed only from members whose `relationship` is one of these."""

    relationships: frozenset[int] = frozenset()

    def applies(self, member: Mapping[str, Any]) -> bool:
        return member.get("relationship") in self.relationships


def _requirement(section: str, key: str, prop: Mapping[str, Any]) -> Requirement:
    title = prop.get("title", key)
    if FOR_RELATIONSHIPS in prop:
        return MemberRequirement(section, key, title, frozenset(prop[FOR_RELATIONSHIPS]))
    return Requirement(section, key, title)


_schema: Callable[[], Mapping[str, Any]] | None = None


def from_schema(schema: Mapping[str, Any]) -> tuple[Requirement, ...]:
    """The answers the schema marks `x-core`: top-level fields, fields of the objects in it
    (housing) and of the items of its arrays (members), in the schema's order."""
    found = []
    for key, prop in schema.get("properties", {}).items():
        if prop.get(MARK):
            found.append(_requirement("", key, prop))
        inner = prop.get("items", {}) if prop.get("type") == "array" else prop
        found.extend(
            _requirement(key, sub, sub_prop)
            for sub, sub_prop in inner.get("properties", {}).items()
            if sub_prop.get(MARK)
        )
    return tuple(found)


def use_schema(source: Callable[[], Mapping[str, Any]]) -> None:
    """Name where the household schema comes from (a function, called on first need)."""
    global _schema
    _schema = source
    schema_requirements.cache_clear()


@cache
def schema_requirements() -> tuple[Requirement, ...]:
    """The requirements of the schema named by `use_schema`."""
    if _schema is None:
        raise RuntimeError(
            "no household schema for the completeness rule: import app.core.document "
            "(it calls app.rules.completeness.use_schema) or pass requirements to evaluate"
        )
    return from_schema(_schema())


def message(title: str, member_index: int | None = None) -> str:
    """The message: "Alamat belum diisi"; for a member "Anggota 2: Tanggal lahir belum diisi"."""
    who = "" if member_index is None else f"Anggota {member_index + 1}: "
    return f"{who}{title} belum diisi"


def answers_given(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """One error for each required answer not given, pointing at its field: the household's
    own fields, each member's in turn, then the nested sections (the order of the form)."""
    own = [r for r in ctx.required if not r.section]
    of_member = [r for r in ctx.required if r.section == MEMBERS]
    nested = [r for r in ctx.required if r.section and r.section != MEMBERS]
    for required in own:
        if unanswered(doc.get(required.key)):
            yield Finding(RULE, "error", message(required.title), (required.key,), SOURCE)
    for i, member in members(doc):
        for required in of_member:
            if isinstance(required, MemberRequirement) and not required.applies(member):
                continue
            if unanswered(member.get(required.key)):
                path = member_path(i, required.key)
                yield Finding(RULE, "error", message(required.title, i), (path,), SOURCE)
    for required in nested:
        if unanswered(section(doc, required.section).get(required.key)):
            path = f"{required.section}.{required.key}"
            yield Finding(RULE, "error", message(required.title), (path,), SOURCE)


CHECKS = (answers_given,)
