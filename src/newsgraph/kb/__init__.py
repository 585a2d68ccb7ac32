"""The knowledge base: entities, aliases, products, headquarters, leaders, epithets.

Data lives in ``kb/data/*.yaml`` (see SCHEMA.md). Knowledge-base facts help
linking; they are never emitted as claims.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from newsgraph.model import Entity
from newsgraph.text import norm_key, slug

_DATA = Path(__file__).parent / "data"


@dataclass
class KBEntry:
    """One knowledge-base entity."""

    id: str
    name: str
    type: str
    kind: str | None = None
    qid: str | None = None
    aliases: list[str] = field(default_factory=list)
    short_aliases: list[str] = field(default_factory=list)
    country: str | None = None
    headquarters: str | None = None
    flagship: list[str] = field(default_factory=list)
    owner: str | None = None
    org: str | None = None
    role: str | None = None
    stands_for: str | None = None
    epithets: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_source(self) -> bool:
        """News outlets are sources of claims, not actors."""
        return self.kind == "outlet"

    def to_entity(self) -> Entity:
        """The canonical entity of this entry, as an article's output names it."""
        return Entity(
            id=self.id,
            name=self.name,
            type=self.type,
            qid=self.qid,
            aliases=list(self.aliases),
            in_kb=True,
        )


class KnowledgeBase:
    """Entities indexed by id and by folded name/alias."""

    def __init__(self, entries: list[KBEntry]) -> None:
        self.entries: dict[str, KBEntry] = {}
        self.by_name: dict[str, KBEntry] = {}
        self._by_key: dict[str, list[KBEntry]] = defaultdict(list)
        for entry in entries:
            if entry.id in self.entries:
                raise ValueError(f"duplicate knowledge-base id {entry.id} ({entry.name})")
            self.entries[entry.id] = entry
            self.by_name[entry.name] = entry
            for name in (entry.name, *entry.aliases):
                key = norm_key(name)
                if entry not in self._by_key[key]:
                    self._by_key[key].append(entry)

    @classmethod
    def from_dir(cls, directory: Path) -> KnowledgeBase:
        entries: list[KBEntry] = []
        for path in sorted(directory.glob("*.yaml")):
            for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                entries.append(_entry(raw, path.name))
        return cls(entries)

    @classmethod
    def default(cls) -> KnowledgeBase:
        """The bundled knowledge base, loaded once per process."""
        return _default_kb()

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entity_id: str) -> KBEntry | None:
        return self.entries.get(entity_id)

    def lookup(self, name: str) -> list[KBEntry]:
        """Entries whose name or alias equals ``name`` (case and accents folded)."""
        return list(self._by_key.get(norm_key(name), ()))

    def named(self, name: str) -> KBEntry | None:
        """The entry with this canonical name, else the first alias match."""
        entry = self.by_name.get(name)
        if entry:
            return entry
        found = self.lookup(name)
        return found[0] if found else None

    def names_for(self, entity_id: str) -> set[str]:
        """Canonical name and aliases of an entry (empty for unknown ids)."""
        entry = self.entries.get(entity_id)
        if entry is None:
            return set()
        return {entry.name, *entry.aliases, *entry.short_aliases}

    def products_of(self, org_name: str) -> list[KBEntry]:
        return [e for e in self.entries.values() if e.owner == org_name]

    def organisation_of(self, entry: KBEntry) -> KBEntry | None:
        """The organisation a person or place stands for, by metonymy:
        "contre Bill Gates" (his company), "Bruxelles autorise" (the Commission)."""
        target = entry.org if entry.type == "PER" else entry.stands_for
        return self.named(target) if target else None


def _entry(raw: dict[str, Any], source: str) -> KBEntry:
    try:
        name = str(raw["name"])
        etype = str(raw["type"])
    except (KeyError, TypeError) as e:
        raise ValueError(f"{source}: entry without name/type: {raw!r}") from e
    qid = raw.get("qid")
    return KBEntry(
        id=str(qid) if qid else f"kb:{slug(name)}",
        name=name,
        type=etype,
        kind=raw.get("kind"),
        qid=str(qid) if qid else None,
        aliases=[str(a) for a in raw.get("aliases") or []],
        short_aliases=[str(a) for a in raw.get("short_aliases") or []],
        country=raw.get("country"),
        headquarters=raw.get("headquarters"),
        flagship=[str(f) for f in raw.get("flagship") or []],
        owner=raw.get("owner"),
        org=raw.get("org"),
        role=raw.get("role"),
        stands_for=raw.get("stands_for"),
        epithets={k: [str(x) for x in v or []] for k, v in (raw.get("epithets") or {}).items()},
    )


@cache
def _default_kb() -> KnowledgeBase:
    return KnowledgeBase.from_dir(_DATA)


def local_id(name: str, etype: str) -> str:
    """Stable id for an entity found only in text."""
    return f"local:{etype.lower()}:{slug(name)}"


__all__ = ["KBEntry", "KnowledgeBase", "local_id"]
