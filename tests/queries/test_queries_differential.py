"""Differential tests: every canned query gives the same JSON from Python and from Cypher.

On random supply graphs with regulations (hypothesis): companies in a few countries, subsidiaries, SUPPLIES with
validity and negation, holdings that derive links, product taxonomies with cycles,
regulations with jurisdictions (as a property or through the issuer), FDPR flags,
targets and restrictions. Both stores receive the same records. On the reference data,
both engines are compared with the same stored answers instead (``test_golden``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipkg import queries
from chipkg.graph import EmbeddedStore, Store
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.loaders.reference import REFERENCE_DIR, load_reference
from chipkg.loaders.resolver import Resolver
from tests.conftest import MARKER_LABEL
from tests.support.graphs import Graph

pytestmark = pytest.mark.neo4j

Ask = Callable[[Store], Any]


def same_answers(embedded: Store, neo4j: Store, asks: list[tuple[str, Ask]]) -> None:
    """Each question answered by both stores, compared as JSON."""
    for label, ask in asks:
        left, right = ask(embedded).to_json(), ask(neo4j).to_json()
        assert left == right, f"embedded and Neo4j differ on {label}"


# -- random graphs -------------------------------------------------------------------------

COMPANIES = [f"company/c{i}" for i in range(5)]
COUNTRIES = ["country/cn", "country/nl", "country/tw", "country/us"]
PRODUCTS = [f"product/p{i}" for i in range(4)]
DATES = st.sampled_from([None, "2020", "2020-06", "2021-01-01", "2022-06-15", "2023"])
VALIDITY = st.sampled_from([None] * 6 + ["2020-06", "2021-01-01", "2022"])
ON = st.sampled_from(
    ["2019-06-01", "2020-06-15", "2021-01-01", "2021-06-01", "2022-06-15", "2024-01-01"]
)
LOCATIONS = ["country/cn", "country/cn", "country/us", "country/us", "country/nl", "country/tw"]
SOURCES = st.sampled_from(["source/a", "source/b"])
MODALITY = st.sampled_from(["asserted", "asserted", "asserted", "rumored", "negated"])


def claim_kw(draw: Any) -> dict[str, Any]:
    """Provenance and validity of one random claim."""
    return {
        "source": draw(SOURCES),
        "modality": draw(MODALITY),
        "valid_from": draw(VALIDITY),
        "valid_to": draw(VALIDITY),
    }


@st.composite
def graphs(draw: Any) -> Graph:
    """A random supply graph with regulations."""
    g = Graph()
    g.ent("country/us", name="United States")
    for entity in COUNTRIES:
        g.ent(entity)
    for product in PRODUCTS:  # release dates: no link carries a product before them
        released = draw(st.sampled_from([None, None, "2020-06", "2021"]))
        g.ent(product, **({"released": released} if released else {}), **figures(draw))
    for company in COMPANIES:
        founded = draw(st.sampled_from([None, None, None, "2020"]))
        g.ent(company, **({"founded": founded} if founded else {}))
        for country in draw(st.lists(st.sampled_from(LOCATIONS), min_size=1, max_size=2)):
            g.rel(company, "LOCATED_IN", country, valid_to=draw(VALIDITY))
    for sub, parent in draw(
        st.lists(st.tuples(st.sampled_from(COMPANIES), st.sampled_from(COMPANIES)), max_size=2)
    ):
        if sub != parent:
            g.rel(sub, "SUBSIDIARY_OF", parent, **claim_kw(draw))
    # Tiers (c4 supplies c3 ... c0) with about half the downward links, plus a few random
    # links that may point upward and make cycles.
    pairs = [(up, down) for i, up in enumerate(COMPANIES) for down in COMPANIES[:i]]
    chosen = [p for p in pairs if draw(st.booleans())]
    pair = st.tuples(st.sampled_from(COMPANIES), st.sampled_from(COMPANIES))
    for supplier, customer in chosen + draw(st.lists(pair, max_size=3)):
        g.supplies(supplier, customer, draw(st.sampled_from([*PRODUCTS, None])), **claim_kw(draw))
    holding = st.tuples(
        st.sampled_from(COMPANIES), st.sampled_from(["OWNS", "USES"]), st.sampled_from(PRODUCTS)
    )
    for company, predicate, product in draw(st.lists(holding, min_size=1, max_size=4)):
        g.rel(company, predicate, product, **claim_kw(draw))
    making = st.tuples(
        st.sampled_from(COMPANIES),
        st.sampled_from(["DESIGNS", "MANUFACTURES"]),
        st.sampled_from(PRODUCTS),
    )
    for company, predicate, product in draw(st.lists(making, min_size=1, max_size=5)):
        share = (
            {"market_share": draw(st.sampled_from([0.2, 0.5, 0.9]))}
            if predicate == "MANUFACTURES"
            else {}
        )
        g.rel(company, predicate, product, properties=share, **claim_kw(draw))
    kind = st.tuples(
        st.sampled_from(PRODUCTS),
        st.sampled_from(["TYPE_OF", "VARIANT_OF", "INPUT_TO"]),
        st.sampled_from(PRODUCTS),
    )
    for low, predicate, high in draw(st.lists(kind, min_size=1, max_size=5)):
        if low != high:
            g.rel(low, predicate, high, **claim_kw(draw))
    for n in range(draw(st.integers(1, 3))):
        regulation(draw, g, f"regulation/r{n}")
    return g


def figures(draw: Any) -> dict[str, Any]:
    """Random performance figures and category of a product (for thresholds and makers)."""
    drawn = {
        "tpp": draw(st.sampled_from([None, 1000, 2368, 4800, 15832])),
        "performance_density": draw(st.sampled_from([None, 2.9, 5.92, 19.5])),
        "interconnect_gbs": draw(st.sampled_from([None, 400, 600.0, 900])),
        "category": draw(st.sampled_from([None, "gpu", "equipment"])),
    }
    return {k: v for k, v in drawn.items() if v is not None}


THRESHOLDS = st.sampled_from(
    [
        None,
        None,
        ["tpp>=4800&interconnect_gbs>=600"],
        ["tpp>=4800", "tpp>=1600&performance_density>=5.92"],
    ]
)

REVIEWS = ["case_by_case", "license_required", "presumption_of_approval", "presumption_of_denial"]


def regulation(draw: Any, g: Graph, reg: str) -> None:
    """One random regulation: dates, jurisdiction (property or issuer), targets, restrictions."""
    props: dict[str, Any] = {
        "effective_from": draw(st.sampled_from([None, "2020", "2020-06", "2021-01-01", "2022"])),
        "effective_to": draw(st.sampled_from([None, "2022"])),
    }
    props["fdpr"] = draw(st.sampled_from([True, True, False]))
    props["thresholds"] = draw(THRESHOLDS)
    how = draw(st.sampled_from(["property", "property", "country", "body", "none"]))
    country = draw(st.sampled_from(["country/us", "country/us", "country/nl", "country/cn"]))
    if how == "property":
        props["jurisdiction"] = country
    g.ent(reg, **{k: v for k, v in props.items() if v is not None})
    if how == "country":
        g.rel(reg, "ISSUED_BY", country)
    elif how == "body":
        g.rel(reg, "ISSUED_BY", "governmentbody/agency")
        g.rel("governmentbody/agency", "LOCATED_IN", country)
    for target in draw(
        st.lists(st.sampled_from([*COMPANIES, "country/cn", "country/cn"]), min_size=1, max_size=2)
    ):
        review = draw(st.sampled_from([None, None, *REVIEWS]))
        g.rel(reg, "TARGETS", target, valid_from=draw(VALIDITY), source=draw(SOURCES),
              properties={"licence_review": review} if review else {})  # fmt: skip
    items = draw(st.lists(st.sampled_from(PRODUCTS), min_size=1, max_size=2, unique=True))
    for item in items:  # some items restricted from their own (earlier) date
        early = draw(st.sampled_from([None, None, "2020-03"]))
        g.rel(reg, "RESTRICTS", item, properties={"effective_from": early} if early else {})
    others = [p for p in PRODUCTS if p not in items]
    for item in draw(st.lists(st.sampled_from(others), max_size=1)):
        g.rel(reg, "RESTRICTS", item, modality="negated", valid_to=draw(VALIDITY))


@st.composite
def dense_graphs(draw: Any) -> Graph:
    """Denser graphs from a hypothesis-seeded random source: many tiers, rules that bite."""
    rnd = draw(st.randoms(use_true_random=False))
    g = Graph()
    for entity in COUNTRIES + PRODUCTS:
        g.ent(entity)
    for company in COMPANIES:
        for country in rnd.sample(COUNTRIES, rnd.choice([1, 1, 2])):
            g.rel(company, "LOCATED_IN", country)
    for i, up in enumerate(COMPANIES):
        for down in COMPANIES[:i]:
            if rnd.random() < 0.45:
                item = rnd.choice([*PRODUCTS, None])
                g.supplies(up, down, item, valid_to=rnd.choice([None] * 5 + ["2021-01-01"]))
    for company in COMPANIES:
        if rnd.random() < 0.4:
            g.rel(company, rnd.choice(["OWNS", "USES"]), rnd.choice(PRODUCTS))
        if rnd.random() < 0.4:
            share = {"market_share": rnd.choice([0.3, 0.6])}
            g.rel(company, "MANUFACTURES", rnd.choice(PRODUCTS), properties=share)
    if rnd.random() < 0.5:
        g.rel(COMPANIES[0], "SUBSIDIARY_OF", rnd.choice(COMPANIES[1:]))
    g.rel(PRODUCTS[1], "TYPE_OF", PRODUCTS[0])
    g.rel(PRODUCTS[2], rnd.choice(["VARIANT_OF", "INPUT_TO"]), PRODUCTS[0])
    g.rel(PRODUCTS[3], "INPUT_TO", PRODUCTS[rnd.choice([0, 1])])
    for n in range(rnd.choice([2, 3, 4])):
        reg = f"regulation/r{n}"
        g.ent(
            reg,
            jurisdiction=rnd.choice(["country/us", "country/us", "country/nl"]),
            fdpr=rnd.random() < 0.5,
            effective_from=rnd.choice(["2020", "2021-01-01", "2022"]),
        )
        g.rel(reg, "TARGETS", rnd.choice(["country/cn", *COMPANIES]))
        restricted = rnd.choice(PRODUCTS)
        g.rel(reg, "RESTRICTS", restricted)
        exempt = rnd.choice([None, *[p for p in PRODUCTS if p != restricted]])
        if exempt is not None:
            g.rel(reg, "RESTRICTS", exempt, modality="negated")
    return g


@st.composite
def questions(draw: Any) -> list[tuple[str, Ask]]:
    """One of each query with random parameters."""
    on = draw(ON)
    buyer = draw(st.sampled_from(["company/c0", "company/c0", "company/c1", "company/c2"]))
    other = draw(st.sampled_from(COMPANIES))
    product = draw(st.sampled_from(PRODUCTS))
    item = draw(st.sampled_from([None, *PRODUCTS]))
    hops = draw(st.integers(1, 4))
    country = draw(st.sampled_from([None, *COUNTRIES]))
    target = draw(st.sampled_from(COMPANIES + COUNTRIES))
    fdpr = draw(st.booleans())
    entity = draw(st.sampled_from(COMPANIES + PRODUCTS + COUNTRIES))
    restrict = product if target.startswith("country/") else item
    about = draw(st.sampled_from([None, entity]))
    return [
        (
            "reachable",
            lambda s: queries.reachable_suppliers(s, buyer, on=on, item=item, max_hops=hops),
        ),
        ("exposure", lambda s: queries.exposure(s, other, on=on, max_hops=hops)),
        ("chokepoints", lambda s: queries.chokepoints(s, product, on=on, for_country=country)),
        ("alternatives", lambda s: queries.alternatives(s, buyer, product, on=on)),
        ("dossier", lambda s: queries.dossier(s, entity)),
        ("timeline", lambda s: queries.sanctions_timeline(s, entity, on=on)),
        (
            "what-if",
            lambda s: queries.what_if(
                s, buyer, target, restrict=restrict, on=on, fdpr=fdpr, max_hops=hops
            ),
        ),
        ("conflicts", lambda s: queries.conflicts(s, about)),
    ]


def fresh(neo4j_store: Neo4jStore) -> None:
    """Empty the test database and keep it marked as the test session's own."""
    neo4j_store.clear()
    neo4j_store.driver.execute_query(f"MERGE (:{MARKER_LABEL})", database_=neo4j_store.database)


def same_on_both(neo4j_store: Neo4jStore, g: Graph, asks: list[tuple[str, Ask]]) -> None:
    """Write the graph to a fresh Neo4j and a new embedded store; every ask answers the same."""
    fresh(neo4j_store)
    g.write(neo4j_store)
    with tempfile.TemporaryDirectory() as tmp:
        embedded = g.write(EmbeddedStore(Path(tmp) / "db"))
        same_answers(embedded, neo4j_store, asks)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(g=graphs(), asks=questions())
def test_random_graphs_same_answers(
    neo4j_store: Neo4jStore, g: Graph, asks: list[tuple[str, Ask]]
) -> None:
    same_on_both(neo4j_store, g, asks)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(g=dense_graphs(), asks=questions())
def test_dense_random_graphs_same_answers(
    neo4j_store: Neo4jStore, g: Graph, asks: list[tuple[str, Ask]]
) -> None:
    same_on_both(neo4j_store, g, asks)


def header_params(text: str) -> dict[str, Any]:
    """The ``:param`` lines of a Cypher file's header, as Python values."""
    params: dict[str, Any] = {}
    for line in text.splitlines():
        if line.startswith("// :param "):
            name, literal = line[len("// :param ") :].split(" => ", 1)
            literal = literal.strip()
            literals = {"null": None, "true": True, "false": False}
            if literal in literals:
                params[name] = literals[literal]
            elif literal.startswith("'"):
                params[name] = literal.strip("'")
            else:
                params[name] = float(literal) if "." in literal else int(literal)
    return params


def test_each_cypher_file_runs_with_its_header_params(neo4j_store: Neo4jStore) -> None:
    from chipkg.queries import QUERIES
    from chipkg.queries.neo4j_runner import cypher_text, run_file

    loaded = load_reference(REFERENCE_DIR, Resolver())
    neo4j_store.write(loaded.entities, loaded.claims)
    for spec in QUERIES.values():
        rows = run_file(neo4j_store, spec.cypher, header_params(cypher_text(spec.cypher)))
        assert len(rows) == 1, f"{spec.cypher}.cypher with its header params"
        if spec.name != "conflicts":  # the curated data holds no contradictions
            assert all(value is not None for value in rows[0].values()), spec.cypher
