"""Performance thresholds: which products a rule defined by figures restricts.

ECCN 3A090 does not name chips; it controls those whose published figures reach its
thresholds (total processing performance, performance density, and in 2022 the
bidirectional transfer rate). A regulation carries them as ``thresholds``, a list of
alternatives ``"tpp>=4800&interconnect_gbs>=600"``: a product meets the rule when all
conditions of some alternative hold for its figures. Only products with a ``tpp`` figure
are judged; a missing figure fails its condition. The cut rule adds the products that
meet a rule to what it restricts, and treats those that meet none like an explicit
exemption (the restriction of the H100 does not carry down to an H20 below the bar).
``fragments/threshold_items.cypher`` computes the same two sets in Cypher.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chipkg.graph.view import GraphView
from chipkg.ontology import Entity

#: Product figures a threshold may name.
FIGURES = ("tpp", "performance_density", "interconnect_gbs")


class ThresholdError(ValueError):
    """A regulation's ``thresholds`` entry is not ``figure>=value[&figure>=value...]``."""


def parse(entry: str) -> list[tuple[str, float]]:
    """One alternative as (figure, minimum) pairs; a malformed entry raises ThresholdError."""
    out = []
    for cond in entry.split("&"):
        name, sep, value = cond.partition(">=")
        name = name.strip()
        if not sep or name not in FIGURES:
            raise ThresholdError(
                f"bad threshold {entry!r}: expected figure>=value, figure in {FIGURES}"
            )
        try:
            out.append((name, float(value)))
        except ValueError as exc:
            raise ThresholdError(
                f"bad threshold {entry!r}: {value.strip()!r} is no number"
            ) from exc
    return out


def _figure(props: Mapping[str, object], name: str) -> float | None:
    value = props.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def meets(thresholds: Sequence[str], props: Mapping[str, object]) -> bool:
    """The figures in ``props`` reach every condition of at least one alternative."""
    for entry in thresholds:
        conds = parse(entry)
        if all((v := _figure(props, n)) is not None and v >= low for n, low in conds):
            return True
    return False


def thresholds_of(reg: Entity) -> list[str]:
    """The regulation's threshold alternatives (empty when it names products only)."""
    value = reg.properties.get("thresholds")
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


def judge(g: GraphView, reg: Entity) -> tuple[set[str], set[str]]:
    """Products with figures that meet the rule's thresholds, and those that meet none.

    Both empty for a rule without thresholds; products without a ``tpp`` figure are
    never judged (only a rule that names them can restrict them).
    """
    found = thresholds_of(reg)
    meeting: set[str] = set()
    failing: set[str] = set()
    if not found:
        return meeting, failing
    for product in g.of_label("Product"):
        if _figure(product.properties, "tpp") is None:
            continue
        (meeting if meets(found, product.properties) else failing).add(product.id)
    return meeting, failing
