"""Find known entities in text in one regex pass.

All names and aliases are folded into a character trie and compiled to a single
regular expression, so matching costs one scan of the text in C whatever the number
of names (the effect of an Aho-Corasick automaton). Case rules keep common words out:
a short all-capital alias ("US", "BIS") matches only in capitals, and a capitalised
alias ("Ascend", "Micron") only when the text capitalises it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from chipkg.loaders.text.casefold import keys_ok, lowered
from chipkg.loaders.text.resources import stopwords
from chipkg.ontology import Entity

KIND_OF_LABEL = {
    "Company": "C",
    "Product": "P",
    "Technology": "T",
    "Country": "K",
    "GovernmentBody": "G",
    "Regulation": "R",
    "Person": "N",
    "Facility": "F",
}
_GENERIC_TECH = re.compile(r"^\d+(?:[.,]\d)?\s?-?nm(?:\s+(?:process|node|class))?$", re.I)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One alias of one entity."""

    entity_id: str
    kind: str
    alias: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A gazetteer match: span and the entity it denotes."""

    start: int
    end: int
    entity_id: str
    kind: str
    genitive: bool


def match_key(text: str) -> str:
    """How a matched span is looked up: lower case, single spaces."""
    return _SPACE.sub(" ", text.lower())


def case_ok(alias: str, found: str) -> bool:
    """Whether ``found`` in the text may be ``alias`` (see module docstring)."""
    letters = alias.replace(".", "").replace(" ", "")
    if alias.isupper() and len(letters) <= 4:
        return found.isupper()
    if alias[:1].isupper():
        return found[:1].isupper()
    return True


class Gazetteer:
    """An alias index over entities with one compiled pattern."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: dict[str, Entity] = {}
        self.entries: dict[str, list[Entry]] = {}
        for entity in entities:
            if entity.label in KIND_OF_LABEL:
                self.entities[entity.id] = entity
        company_keys = {
            match_key(n)
            for e in self.entities.values()
            if e.label == "Company"
            for n in (e.name, *e.aliases)
        }
        common = frozenset().union(*stopwords().values())
        for entity in self.entities.values():
            for alias in usable_aliases(entity, company_keys, common):
                key = match_key(alias)
                entries = self.entries.setdefault(key, [])
                if all(x.entity_id != entity.id or x.alias != alias for x in entries):
                    entries.append(Entry(entity.id, KIND_OF_LABEL[entity.label], alias))
        keys = tuple(sorted(self.entries))
        self.pattern = _compile(keys)
        self._plain = _compile(keys, case_blind=False) if keys_ok(keys) else None
        self._memo: dict[str, tuple[str, str]] = {}

    def find(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Every unambiguous match in ``text[start:end]``, left to right."""
        if self.pattern is None:
            return
        stop = len(text) if end is None else end
        memo = self._memo
        low = lowered(text) if self._plain is not None else None
        if low is not None and self._plain is not None:  # same matches, see casefold.py
            scan = self._plain.finditer(low, start, stop)
        else:
            scan = self.pattern.finditer(text, start, stop)
        for m in scan:
            found = text[m.start(1) : m.end(1)]
            known = memo.get(found)
            if known is None:
                ids = {
                    e.entity_id: e.kind
                    for e in self.entries.get(match_key(found), [])
                    if case_ok(e.alias, found)
                }
                known = memo[found] = next(iter(ids.items())) if len(ids) == 1 else ("", "")
            if known[0]:
                yield Hit(m.start(), m.end(), known[0], known[1], bool(m.group(2)))


def usable_aliases(entity: Entity, company_keys: set[str], common: frozenset[str]) -> list[str]:
    """The names of ``entity`` that are safe to look for in running text."""
    out = []
    names = [entity.name, *entity.aliases]
    own = {match_key(n) for n in names}
    for alias in names:
        alias = str(alias).strip()
        key = match_key(alias)
        if len(key) < 2 or key.isdigit() or key in common or len(alias.lower()) != len(alias):
            continue
        if entity.label == "Technology" and _GENERIC_TECH.match(alias):
            continue
        if entity.label in ("Product", "Technology") and _brand_prefixed(key, own, company_keys):
            continue
        out.append(alias)
    return out


def _brand_prefixed(key: str, own: set[str], company_keys: set[str]) -> bool:
    """ "NVIDIA H100" is left to the maker rules when "H100" is a name of its own."""
    words = key.split(" ")
    for cut in range(1, len(words)):
        head, rest = " ".join(words[:cut]), " ".join(words[cut:])
        if head in company_keys and rest in own:
            return True
    return False


@lru_cache(maxsize=32)
def _compile(keys: tuple[str, ...], case_blind: bool = True) -> re.Pattern[str] | None:
    if not keys:
        return None
    body = _trie_regex(keys)
    return re.compile(rf"(?<!\w)({body})(s)?(?![\w])", re.IGNORECASE if case_blind else 0)


def _trie_regex(words: Iterable[str]) -> str:
    """One regex matching exactly ``words``, longest first, as a nested alternation."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_regex(root)


def _node_regex(node: dict[str, Any]) -> str:
    final = "" in node
    branches = [(ch, child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    leaves = [ch for ch, child in branches if list(child) == [""] and ch != " "]
    alts = [_char(ch) + _node_regex(child) for ch, child in branches if ch not in leaves]
    if len(leaves) == 1:
        alts.append(re.escape(leaves[0]))
    elif leaves:
        alts.append("[" + "".join(re.escape(ch) for ch in leaves) + "]")
    body = alts[0] if len(alts) == 1 and not final else "(?:" + "|".join(alts) + ")"
    return body + "?" if final else body


def _char(ch: str) -> str:
    return r"\s+" if ch == " " else re.escape(ch)


class LayeredGazetteer:
    """A large cached gazetteer plus a small one for entities added since it was built.

    Loading many articles mints new entities (a start-up named in one article is found
    in the next); they go into the small layer, so the large trie is not rebuilt each time.
    """

    def __init__(self, base: Gazetteer, overlay: Gazetteer) -> None:
        self.base = base
        self.overlay = overlay
        self.entities = {**base.entities, **overlay.entities}
        self.entries = {**base.entries, **overlay.entries}

    def find(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Hits of both layers (overlaps are settled by the mention finder)."""
        yield from self.base.find(text, start, end)
        yield from self.overlay.find(text, start, end)
