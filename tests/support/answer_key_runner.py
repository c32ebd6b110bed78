"""Runs the public-record answer key (``tests/answer_key/*.yaml``) against a store.

Each question names a canned query, its arguments and options, and partial
expectations (the assertion kinds of the key's README). :func:`check` runs the
query and returns the list of expectations that do not hold, each in words, so a
failing test says exactly what the answer got wrong. Questions whose ``needs``
name entities the reference data lacks are skipped with that reason; so are
questions using an assertion kind this version cannot answer (listed in
``UNSUPPORTED`` with the reason), never silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from chipkg import queries
from chipkg.graph import Store

KEY_DIR = Path(__file__).resolve().parent.parent / "answer_key"

#: Assertion kinds the answers cannot support yet, with why (reported as skips).
UNSUPPORTED: dict[str, str] = {}


#: Questions this version answers wrong, with why: run as strict xfails, so each one
#: fails the suite the day it starts passing (then delete its line). Issue 12 items open.
KNOWN_GAPS: dict[str, str] = {}


@dataclass
class Question:
    """One question of the key."""

    id: str
    query: str
    args: list[str]
    options: dict[str, Any]
    expect: dict[str, Any]
    needs: list[str] = field(default_factory=list)
    file: str = ""


def load_questions(directory: Path = KEY_DIR) -> list[Question]:
    """Every question of every key file, in file then list order."""
    out = []
    for path in sorted(directory.glob("*.yaml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out.append(
                Question(
                    id=row["id"],
                    query=row["query"],
                    args=list(row.get("args") or []),
                    options={
                        option_key(k): option_value(v)
                        for k, v in (row.get("options") or {}).items()
                    },
                    expect=dict(row.get("expect") or {}),
                    needs=list(row.get("needs") or []),
                    file=path.name,
                )
            )
    return out


def option_key(key: Any) -> str:
    """YAML 1.1 reads the bare key ``on`` as the boolean True."""
    return "on" if key is True else str(key)


def option_value(value: Any) -> Any:
    """YAML reads unquoted ``2023-06-01`` as a date; the queries take ISO strings."""
    return value.isoformat() if isinstance(value, dt.date) else value


def skip_reason(question: Question, store: Store) -> str | None:
    """Why the question cannot be asked of this store yet, or None."""
    missing = [n for n in question.needs if store.get(n) is None]
    if missing:
        return f"needs reference data: {', '.join(missing)}"
    for kind, why in UNSUPPORTED.items():
        if kind in question.expect:
            return f"{kind}: {why}"
    return None


def check(question: Question, store: Store) -> list[str]:
    """The expectations of ``question`` that the store's answer violates (empty: all hold)."""
    checker = CHECKERS[question.query]
    return checker(question, store)


# -- reachability ---------------------------------------------------------------------------


def _reach_view(answer: Any) -> tuple[dict[str, Any], list[Any]]:
    return {r.supplier.id: r for r in answer.reachable}, list(answer.blocked)


def _reached_ok(found: dict[str, Any], want: dict[str, Any]) -> bool:
    r = found.get(want["supplier"])
    if r is None:
        return False
    if "item" in want and want["item"] not in r.items:
        return False
    if "tier" in want and r.hops != want["tier"]:
        return False
    if "via" in want:
        on_path = {s.customer.id for s in r.path} | {s.supplier.id for s in r.path}
        return bool(want["via"] in on_path)
    return True


def _cut_ok(blocked: list[Any], want: dict[str, Any]) -> bool:
    return any(
        b.supplier.id == want["supplier"]
        and ("item" not in want or b.item == want["item"] or getattr(b, "wildcard", False))
        and ("regulation" not in want or want["regulation"] in [r.id for r in b.regulations])
        for b in blocked
    )


def reach_failures(found: dict[str, Any], blocked: list[Any], licence: list[Any],
                   expect: dict[str, Any], not_assessed: list[str]) -> list[str]:  # fmt: skip
    """Failures of the reachability kinds on (reached by id, blocked entries)."""
    bad = [f"not reachable: {w}" for w in expect.get("reachable", []) if not _reached_ok(found, w)]
    bad += [f"not cut: {w}" for w in expect.get("cut", []) if not _cut_ok(blocked, w)]
    bad += [
        f"no licence required: {w}"
        for w in expect.get("licence_required", [])
        if not _cut_ok(licence, w)
    ]
    bad += [
        f"reachable after all: {w}"
        for w in expect.get("not_reachable", [])
        if _reached_ok(found, {k: v for k, v in w.items() if k in ("supplier", "item")})
    ]
    bad += [f"cut after all: {w}" for w in expect.get("not_cut", []) if _cut_ok(blocked, w)]
    bad += [f"not listed as not assessed: {r}" for r in expect.get("not_assessed", [])
            if r not in not_assessed]  # fmt: skip
    return bad


def _kwargs(question: Question, allowed: set[str]) -> dict[str, Any]:
    return {k: v for k, v in question.options.items() if k in allowed}


def check_reachable(question: Question, store: Store) -> list[str]:
    opts = _kwargs(question, {"on", "item", "max_hops", "entity_only"})
    answer = queries.reachable_suppliers(store, *question.args, **opts)
    found, blocked = _reach_view(answer)
    return reach_failures(
        found,
        blocked,
        answer.licence_required,
        question.expect,
        [r.id for r in answer.not_assessed],
    )


def check_what_if(question: Question, store: Store) -> list[str]:
    """What-if answers a diff; the answer under the rule is the real one minus lost plus gained.

    ``cut`` entries are matched on the lost suppliers (the diff does not carry items, so an
    expected ``item`` is checked as "some item of that supplier").
    """
    opts = _kwargs(question, {"on", "target", "restrict", "jurisdiction", "fdpr", "max_hops"})
    answer = queries.what_if(store, *question.args, **opts)
    base_opts = _kwargs(question, {"on", "max_hops"})
    base = queries.reachable_suppliers(store, *question.args, **base_opts)
    lost = {x.supplier.id for x in answer.lost}
    found = {r.supplier.id: r for r in base.reachable if r.supplier.id not in lost}
    found.update({g.supplier.id: _Gained(g.supplier, g.hops) for g in answer.gained})
    blocked = [
        *base.blocked,
        *(_Lost(x.supplier, x.regulations) for x in answer.lost),
        *(_Lost(x.supplier, x.regulations, x.item, wildcard=False) for x in answer.denied),
    ]
    return reach_failures(
        found, blocked, base.licence_required, question.expect, [r.id for r in base.not_assessed]
    )


@dataclass
class _Gained:
    """A supplier the hypothetical rule makes reachable (no path or items in the diff)."""

    supplier: Any
    hops: int
    items: list[str] = field(default_factory=list)
    path: list[Any] = field(default_factory=list)


@dataclass
class _Lost:
    """A supplier the hypothetical rule cuts; ``item`` None matches any expected item."""

    supplier: Any
    regulations: list[Any]
    item: str | None = None
    wildcard: bool = True


# -- the other queries ----------------------------------------------------------------------


def check_exposure(question: Question, store: Store) -> list[str]:
    opts = _kwargs(question, {"on", "max_hops", "entity_only"})
    answer = queries.exposure(store, *question.args, **opts)
    deps = {d.customer.id for d in answer.dependents}
    cut = {c.customer.id for c in answer.cut_off}
    exp = question.expect
    bad = [f"not a dependent: {c}" for c in exp.get("dependents", []) if c not in deps]
    bad += [f"a dependent after all: {c}" for c in exp.get("not_dependents", []) if c in deps]
    bad += [f"not cut off: {c}" for c in exp.get("cut_off", []) if c not in cut]
    return bad


def check_chokepoints(question: Question, store: Store) -> list[str]:
    opts = _kwargs(question, {"on", "for_country", "threshold"})
    answer = queries.chokepoints(store, *question.args, **opts)
    dominant = {c.dominant.id for c in answer.chokepoints if c.dominant is not None}
    providers = {p.provider.id for c in answer.chokepoints for p in c.providers}
    all_cut = any("all-cut" in c.reasons for c in answer.chokepoints)
    exp = question.expect
    bad = [f"not dominant: {c}" for c in exp.get("dominant", []) if c not in dominant]
    bad += [f"not a provider: {c}" for c in exp.get("providers", []) if c not in providers]
    if "all_cut" in exp and bool(exp["all_cut"]) != all_cut:
        bad.append(f"all_cut is {all_cut}, expected {exp['all_cut']}")
    return bad


def check_alternatives(question: Question, store: Store) -> list[str]:
    answer = queries.alternatives(store, *question.args, **_kwargs(question, {"on"}))
    offered = {i for a in answer.alternatives for i in a.items}
    exp = question.expect
    bad = [f"not offered: {p}" for p in exp.get("includes", []) if p not in offered]
    bad += [f"offered after all: {p}" for p in exp.get("excludes", []) if p in offered]
    return bad


def check_dossier(question: Question, store: Store) -> list[str]:
    """Targeted on the date: a TARGETS (or, for a product, RESTRICTS) claim valid then, from a
    regulation in effect by then."""
    from chipkg.queries.dates import as_of, within

    on = as_of(question.options.get("on"))
    answer = queries.dossier(store, *question.args)
    timeline = queries.sanctions_timeline(store, *question.args, on=on)
    started = {e.regulation.id for e in timeline.events if e.date is not None and e.date <= on}
    targeted = {
        c.other.id
        for g in answer.relationships
        if g.relationship in ("TARGETS", "RESTRICTS") and g.direction == "in"
        for c in g.claims
        if c.modality != "negated"
        and within(c.valid_from, c.valid_to, on)
        and c.other.id in started
    }
    exp = question.expect
    bad = [f"not targeted by {r}" for r in exp.get("targeted_by", []) if r not in targeted]
    bad += [f"targeted by {r} after all" for r in exp.get("not_targeted_by", []) if r in targeted]
    return bad


def check_timeline(question: Question, store: Store) -> list[str]:
    answer = queries.sanctions_timeline(store, *question.args, **_kwargs(question, {"on"}))
    events = {(e.regulation.id, e.date) for e in answer.events}
    return [
        f"no event {w}"
        for w in question.expect.get("events", [])
        if (w["regulation"], str(w["date"])) not in events
    ]


def check_conflicts(question: Question, store: Store) -> list[str]:
    """Each expected conflict matches one reported (kind and sides when the key gives them)."""
    answer = queries.conflicts(store, *question.args)
    return [
        f"no conflict {w}"
        for w in question.expect.get("includes", [])
        if not any(_conflict_matches(c, w) for c in answer.conflicts)
    ]


def _conflict_matches(c: Any, want: dict[str, Any]) -> bool:
    subject = c.subject.id if c.subject else None
    if (subject, c.predicate, c.object.id) != (
        want.get("subject"),
        want["predicate"],
        want["object"],
    ):
        return False
    if "kind" in want and c.kind != want["kind"]:
        return False
    return "sides" not in want or set(want["sides"]) <= {str(s.value) for s in c.sides}


CHECKERS = {
    "reachable-suppliers": check_reachable,
    "what-if": check_what_if,
    "exposure": check_exposure,
    "chokepoints": check_chokepoints,
    "alternatives": check_alternatives,
    "dossier": check_dossier,
    "sanctions-timeline": check_timeline,
    "conflicts": check_conflicts,
}
