"""The cut rule: when an export control severs a supply link on a date.

A supply link supplier→customer carrying item I is **cut on date D** by a
regulation R when all of these hold (each piece is one function below, and the
Cypher files spell out the same pieces; see ``chipkg/queries/README.md``):

* :func:`in_force` - ``effective_from <= D`` and no ``effective_to`` before D;
* :meth:`Rules.reaches` (:func:`jurisdiction_reaches`) - the supplier is located in
  R's jurisdiction, or R uses the foreign direct product rule and the supplier
  *depends on* that country on D (:meth:`Rules.depends_on`);
* :meth:`Rules.targets_customer` (:func:`targets_customer`) - the customer, or a
  company it is (transitively) a subsidiary of, is a target of R; or else the
  customer is located in a country R targets and R restricts the item or a product
  the item is (transitively) a variant or type of (:meth:`Rules.restricts` /
  :func:`restricts_item`); a product R explicitly exempts (a negated RESTRICTS claim)
  stops that walk, see ``RESTRICTION_CARRIES``.

Every claim the rule reads (the link itself, LOCATED_IN, TARGETS, RESTRICTS,
SUBSIDIARY_OF, VARIANT_OF, TYPE_OF, ISSUED_BY) counts only when it is not
negated and D lies inside its validity (:func:`link_valid`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from chipkg.graph.view import GraphView, Rel
from chipkg.ontology import Claim, Entity
from chipkg.queries import thresholds
from chipkg.queries.dates import as_of, starts_by, within

SUPPLY = "SUPPLIES"
DENIAL = "presumption_of_denial"
#: Licence reviews from strictest to most lenient; the strictest wins when several apply.
REVIEW_ORDER = ("presumption_of_denial", "case_by_case", "license_required")
HOLDING = ("OWNS", "USES")
MAKING = ("DESIGNS", "MANUFACTURES")
KIND_OF = ("VARIANT_OF", "TYPE_OF")
#: What an input reaches through: it is needed to make a thing, or is a kind of such an input.
FEEDS_THROUGH = ("INPUT_TO", "VARIANT_OF", "TYPE_OF")
#: A restriction carries down VARIANT_OF and TYPE_OF (a rule on HBM covers HBM3, one on H100
#: covers its variants), except through a product the rule exempts with a negated RESTRICTS
#: claim: export variants (H800, H20) were cut down to fall below the rule then in force.
RESTRICTION_CARRIES = KIND_OF


def link_valid(claim: Rel | Claim, on: str) -> bool:
    """A claim counts on ``on``: not negated, and ``on`` inside its own validity."""
    negated = claim.negated if isinstance(claim, Rel) else claim.modality == "negated"
    return not negated and within(claim.valid_from, claim.valid_to, on)


def in_force(reg: Entity, on: str) -> bool:
    """The regulation applies on ``on``: it has taken effect and not ended.

    A regulation without a known ``effective_from`` never applies (it is *not
    assessed*, see :func:`not_assessed`): a rule mentioned in text without a date
    must not cut links it may never have touched.
    """
    start = reg.properties.get("effective_from")
    end = reg.properties.get("effective_to")
    if not isinstance(start, str):
        return False
    return within(start, end if isinstance(end, str) else None, on)


def not_assessed(g: GraphView) -> list[str]:
    """Ids of the regulations with no known effective date (they never cut), sorted."""
    return [
        r.id
        for r in g.of_label("Regulation")
        if not isinstance(r.properties.get("effective_from"), str)
    ]


def item_start(rel: Rel) -> str | None:
    """The per-item effective date of a RESTRICTS claim (property or, else, none)."""
    value = rel.properties.get("effective_from")
    return value if isinstance(value, str) else None


def exists_on(g: GraphView, entity_id: str | None, on: str) -> bool:
    """The entity exists on ``on``: a product released, a company founded, by then.

    ``released`` (or the older ``release_date``) and ``founded`` are start dates;
    an entity without them, or an id that is no entity, always exists.
    """
    if entity_id is None:
        return True
    entity = g.entities.get(entity_id)
    if entity is None:
        return True
    props = entity.properties
    for name in ("released", "release_date", "founded"):
        value = props.get(name)
        if isinstance(value, str):
            return value <= on
    return True


@dataclass(frozen=True, slots=True)
class Link:
    """One supply link on a date: a SUPPLIES claim, or one derived from holdings."""

    supplier: str
    customer: str
    item: str | None
    derived: bool
    sources: tuple[str, ...]
    claims: tuple[str, ...]

    @property
    def order(self) -> tuple[str, str, bool]:
        """Total order among links into one customer (item, then SUPPLIES before derived)."""
        return (self.customer, self.item or "", self.derived)


@dataclass(frozen=True)
class Scope:
    """What one regulation in force reaches and covers, resolved on the query date."""

    id: str
    name: str
    jurisdiction: str | None
    fdpr: bool
    direct_targets: frozenset[str] = frozenset()
    targeted_companies: frozenset[str] = frozenset()
    targeted_countries: frozenset[str] = frozenset()
    restricted_items: frozenset[str] = frozenset()
    #: Licence review per targeted company (with its subsidiaries) and country.
    reviews: Mapping[str, str] = field(default_factory=dict)
    #: Licence review per restricted item, where a RESTRICTS claim covering it states one.
    item_reviews: Mapping[str, str] = field(default_factory=dict)

    def review(self, target: str | None, item: str | None = None) -> str:
        """How licences for ``target`` (and, for a country, ``item``) are reviewed.

        A country-and-item cut takes the review its RESTRICTS claims state for the item,
        else the TARGETS claim's; presumption of denial when neither states one.
        """
        if item is not None and item in self.item_reviews:
            return self.item_reviews[item]
        return self.reviews.get(target or "", DENIAL)


@dataclass(frozen=True)
class Cut:
    """One regulation cutting one link, with the reason in words and its licence review."""

    regulation: str
    name: str
    reason: str
    review: str = "presumption_of_denial"

    @property
    def denial(self) -> bool:
        """The link is denied (not merely subject to a licence reviewed otherwise)."""
        return self.review == DENIAL


def _merge_derived(pairs: Iterable[tuple[Rel, Rel]]) -> list[Link]:
    """Derived links from (holding claim, making claim) pairs; one per supplier, customer, item."""
    merged: dict[tuple[str, str, str], tuple[set[str], set[str]]] = {}
    for hold, make in pairs:
        sources, keys = merged.setdefault((make.subject, hold.subject, hold.object), (set(), set()))
        sources.update(hold.sources, make.sources)
        keys.update((hold.key, make.key))
    return [
        Link(s, c, item, True, tuple(sorted(src)), tuple(sorted(keys)))
        for (s, c, item), (src, keys) in merged.items()
    ]


def _sorted(links: list[Link]) -> list[Link]:
    return sorted(links, key=lambda k: (k.supplier, k.customer, k.item or "", k.derived))


def supply_links_into(g: GraphView, customer: str, on: str) -> list[Link]:
    """Every supply link into ``customer`` that counts on ``on``, in a total order.

    SUPPLIES claims, plus one derived link per (maker, product) when the customer
    OWNS or USES a product a company DESIGNS or MANUFACTURES (both claims valid).
    """
    if not exists_on(g, customer, on):
        return []
    links = [
        Link(r.subject, customer, r.item, False, r.sources, (r.key,))
        for r in g.into(customer, SUPPLY)
        if r.subject != customer
        and link_valid(r, on)
        and exists_on(g, r.subject, on)
        and exists_on(g, r.item, on)
    ]
    pairs = [
        (hold, make)
        for hold in (r for p in HOLDING for r in g.out(customer, p))
        if link_valid(hold, on) and exists_on(g, hold.object, on)
        for make in (m for p in MAKING for m in g.into(hold.object, p))
        if make.subject != customer
        and g.label(make.subject) == "Company"
        and link_valid(make, on)
        and exists_on(g, make.subject, on)
    ]
    return _sorted(links + _merge_derived(pairs))


def supply_links_from(g: GraphView, supplier: str, on: str) -> list[Link]:
    """Every supply link out of ``supplier`` that counts on ``on`` (the mirror, for exposure)."""
    if not exists_on(g, supplier, on):
        return []
    links = [
        Link(supplier, r.object, r.item, False, r.sources, (r.key,))
        for r in g.out(supplier, SUPPLY)
        if r.object != supplier
        and link_valid(r, on)
        and exists_on(g, r.object, on)
        and exists_on(g, r.item, on)
    ]
    pairs = []
    if g.label(supplier) == "Company":
        pairs = [
            (hold, make)
            for make in (r for p in MAKING for r in g.out(supplier, p))
            if link_valid(make, on) and exists_on(g, make.object, on)
            for hold in (h for p in HOLDING for h in g.into(make.object, p))
            if hold.subject != supplier and link_valid(hold, on) and exists_on(g, hold.subject, on)
        ]
    return _sorted(links + _merge_derived(pairs))


def ever_received(g: GraphView, supplier: str, on: str) -> list[str]:
    """Companies that supplied ``supplier`` at any time up to ``on`` (sorted, distinct).

    The dependence test of the foreign direct product rule: a claim counts when it is
    not negated and started by ``on`` (its end does not matter - tools once received
    keep the fab dependent), SUPPLIES or derived from what the supplier owns or uses.
    """
    found = {
        r.subject
        for r in g.into(supplier, SUPPLY)
        if not r.negated and starts_by(r.valid_from, on) and g.label(r.subject) == "Company"
    }
    for hold in (r for p in HOLDING for r in g.out(supplier, p)):
        if hold.negated or not starts_by(hold.valid_from, on):
            continue
        for make in (m for p in MAKING for m in g.into(hold.object, p)):
            if (
                not make.negated
                and starts_by(make.valid_from, on)
                and g.label(make.subject) == "Company"
            ):
                found.add(make.subject)
    found.discard(supplier)
    return sorted(found)


@dataclass
class Rules:
    """The cut rule on one graph and date, with per-entity caches."""

    g: GraphView
    on: str
    extra: Sequence[Scope] = ()
    regulations: list[Scope] = field(default_factory=list)
    _located: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _depends: dict[tuple[str, str], bool] = field(default_factory=dict)
    _feeders: dict[str, frozenset[str]] = field(default_factory=dict)
    by_company: dict[str, list[Scope]] = field(default_factory=dict)
    by_country_item: dict[tuple[str, str], list[Scope]] = field(default_factory=dict)
    #: (country, item) -> (restricted narrower item, rule): rules restricting a kind of the item.
    by_country_broader: dict[tuple[str, str], list[tuple[str, Scope]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.on = as_of(self.on)
        found = [
            self.scope(r, early=not in_force(r, self.on))
            for r in self.g.of_label("Regulation")
            if in_force(r, self.on) or self.early_items(r)
        ]
        self.regulations = sorted([*found, *self.extra], key=lambda s: s.id)
        self.index()

    def index(self) -> None:
        """Index the regulations in force by the companies and (country, item) pairs they hit.

        A link can only be cut by a regulation that names its customer (or a parent),
        or targets a country of the customer and restricts its item; with hundreds of
        rules in force, looking those up beats testing every rule on every link.
        """
        for scope in self.regulations:
            for company in sorted(scope.targeted_companies):
                self.by_company.setdefault(company, []).append(scope)
            for country in sorted(scope.targeted_countries):
                for item in sorted(scope.restricted_items):
                    self.by_country_item.setdefault((country, item), []).append(scope)
                    for broader in sorted(self.closure([item], KIND_OF, inward=False) - {item}):
                        key = (country, broader)
                        self.by_country_broader.setdefault(key, []).append((item, scope))

    def candidates(self, link: Link) -> list[Scope]:
        """The regulations that target the link's customer or its country-and-item, by id."""
        found = {s.id: s for s in self.by_company.get(link.customer, ())}
        if link.item is not None:
            for country in self.locations(link.customer):
                for scope in self.by_country_item.get((country, link.item), ()):
                    found.setdefault(scope.id, scope)
        return [found[k] for k in sorted(found)]

    def holding(self, rels: Iterable[Rel]) -> list[Rel]:
        """The claims among ``rels`` that count on the date."""
        return [r for r in rels if link_valid(r, self.on)]

    def locations(self, entity_id: str) -> tuple[str, ...]:
        """Countries an entity is located in on the date, sorted (a country is in itself)."""
        if entity_id not in self._located:
            if self.g.label(entity_id) == "Country":
                found: tuple[str, ...] = (entity_id,)
            else:
                rels = self.holding(self.g.out(entity_id, "LOCATED_IN"))
                found = tuple(sorted({r.object for r in rels}))
            self._located[entity_id] = found
        return self._located[entity_id]

    def jurisdiction(self, reg_id: str) -> str | None:
        """The country whose law the regulation is: its property, else its issuer's country."""
        value = self.g.prop(reg_id, "jurisdiction")
        if isinstance(value, str):
            return value
        found: set[str] = set()
        for issued in self.holding(self.g.out(reg_id, "ISSUED_BY")):
            if self.g.label(issued.object) == "Country":
                found.add(issued.object)
            else:
                found.update(self.locations(issued.object))
        return min(found) if found else None

    def closure(
        self,
        start: Iterable[str],
        predicates: Sequence[str],
        inward: bool,
        avoid: Collection[str] = (),
    ) -> set[str]:
        """Everything reachable from ``start`` through holding claims of some types.

        The walk never enters a node in ``avoid`` (start nodes are always kept and walked
        from), so what lies only behind an avoided node is not reached either.
        """
        seen, todo = set(start), list(start)
        while todo:
            node = todo.pop()
            for pred in predicates:
                rels = self.g.into(node, pred) if inward else self.g.out(node, pred)
                for rel in self.holding(rels):
                    nxt = rel.subject if inward else rel.object
                    if nxt not in seen and nxt not in avoid:
                        seen.add(nxt)
                        todo.append(nxt)
        return seen

    def feeders(self, item: str) -> frozenset[str]:
        """The items that feed ``item`` on the date (the bill-of-materials rule).

        J feeds I when J is I or a kind of it (J -[VARIANT_OF|TYPE_OF]->* I: an Ascend 910B
        passes on as "Ascend"), or when J is an input of I through generalisations (J
        -[INPUT_TO|VARIANT_OF|TYPE_OF]->* X -[INPUT_TO]-> Y with I -[VARIANT_OF|TYPE_OF]->* Y):
        an input of the process technology a chip is made with feeds the chip, an input of
        the H100 feeds the H800. Never through specialisations of I: an input of EUV scanners
        does not feed a link that only says "lithography system".
        """
        if item not in self._feeders:
            general = self.closure([item], KIND_OF, inward=False)
            inputs = {r.subject for y in general for r in self.holding(self.g.into(y, "INPUT_TO"))}
            found = self.kinds_of(item) | self.closure(inputs, FEEDS_THROUGH, inward=True)
            self._feeders[item] = frozenset(found)
        return self._feeders[item]

    def feeds(self, upstream: str | None, downstream: str | None) -> bool:
        """A link carrying ``upstream`` lies upstream of one carrying ``downstream``.

        A link with no item (or the start of a search) is not known to carry anything in
        particular, so it is taken to feed, and be fed by, anything.
        """
        if upstream is None or downstream is None:
            return True
        return upstream in self.feeders(downstream)

    def kinds_of(self, item: str) -> frozenset[str]:
        """The item and everything that is (transitively) a variant or type of it."""
        return frozenset(self.closure([item], KIND_OF, inward=True))

    def early_items(self, reg: Entity) -> bool:
        """The rule has not taken effect yet but restricts an item from an earlier per-item date."""
        begins = reg.properties.get("effective_from")
        return (
            isinstance(begins, str)
            and begins > self.on
            and any(
                (start := item_start(r)) is not None and start <= self.on
                for r in self.holding(self.g.out(reg.id, "RESTRICTS"))
            )
        )

    def scope(self, reg: Entity, early: bool = False) -> Scope:
        """Resolve a regulation's targets and restrictions on the date.

        A RESTRICTS claim with its own ``effective_from`` restricts its item from that
        day; before the rule's own date (``early``) only such items count and the rule
        names no company.
        """
        targets = self.holding(self.g.out(reg.id, "TARGETS"))
        direct = {t.object for t in targets if self.g.label(t.object) == "Company" and not early}
        countries = {t.object for t in targets if self.g.label(t.object) == "Country"}
        restricts = self.g.out(reg.id, "RESTRICTS")
        restricted = {
            r.object
            for r in self.holding(restricts)
            if ((start := item_start(r)) is None and not early)
            or (start is not None and start <= self.on)
        }
        exempt = {
            r.object for r in restricts if r.negated and within(r.valid_from, r.valid_to, self.on)
        }
        meeting, failing = thresholds.judge(self.g, reg)
        restricted |= set() if early else meeting
        exempt |= failing
        item_reviews = self.item_reviews(restricts, early, exempt)
        return Scope(
            id=reg.id,
            name=reg.name,
            jurisdiction=self.jurisdiction(reg.id),
            fdpr=reg.properties.get("fdpr") is True,
            reviews=self.reviews(targets, early),
            item_reviews=item_reviews,
            direct_targets=frozenset(direct),
            targeted_companies=frozenset(self.closure(direct, ("SUBSIDIARY_OF",), inward=True)),
            targeted_countries=frozenset(countries),
            restricted_items=frozenset(
                self.closure(restricted, RESTRICTION_CARRIES, inward=True, avoid=exempt)
            ),
        )

    def reviews(self, targets: list[Rel], early: bool) -> dict[str, str]:
        """Each targeted company (and its subsidiaries) or country -> its licence review.

        The TARGETS claim's ``licence_review`` (presumption of denial when absent); where
        several claims cover one company, the strictest.
        """
        found: dict[str, str] = {}
        for t in targets:
            label = self.g.label(t.object)
            if label == "Company" and early:
                continue
            value = t.properties.get("licence_review")
            review = value if isinstance(value, str) else DENIAL
            covered = (
                self.closure([t.object], ("SUBSIDIARY_OF",), inward=True)
                if label == "Company"
                else {t.object}
                if label == "Country"
                else set()
            )
            for who in covered:
                if who not in found or (_rank(review), review) < (_rank(found[who]), found[who]):
                    found[who] = review
        return found

    def item_reviews(
        self, restricts: Iterable[Rel], early: bool, exempt: Collection[str]
    ) -> dict[str, str]:
        """Each item a RESTRICTS claim stating ``licence_review`` covers -> that review.

        The claim covers its product and the product's variants and members (as the
        restriction carries, not through exemptions); the strictest where several apply.
        """
        found: dict[str, str] = {}
        for r in self.holding(restricts):
            review = r.properties.get("licence_review")
            start = item_start(r)
            counts = (start is None and not early) or (start is not None and start <= self.on)
            if not isinstance(review, str) or not counts:
                continue
            for item in self.closure([r.object], RESTRICTION_CARRIES, inward=True, avoid=exempt):
                if item not in found or (_rank(review), review) < (_rank(found[item]), found[item]):
                    found[item] = review
        return found

    def depends_on(self, supplier: str, country: str) -> bool:
        """The supplier depends on tools or technology from ``country`` on the date.

        It does when it has received them at any time up to the date: a supply claim
        into it (SUPPLIES or derived from what it owns or uses) that started by then,
        from a company located in ``country`` on the date. A later listing of the
        supplier, or the end of the supply, does not erase that dependence.
        """
        key = (supplier, country)
        if key not in self._depends:
            self._depends[key] = any(
                country in self.locations(source)
                for source in ever_received(self.g, supplier, self.on)
            )
        return self._depends[key]

    def reaches(self, scope: Scope, supplier: str) -> str | None:
        """How R's law reaches the supplier: ``located``, ``fdpr``, or None."""
        if scope.jurisdiction is None:
            return None
        if scope.jurisdiction in self.locations(supplier):
            return "located"
        if scope.fdpr and self.depends_on(supplier, scope.jurisdiction):
            return "fdpr"
        return None

    def targets_customer(self, scope: Scope, customer: str) -> str | None:
        """``company`` when R names the customer, ``parent`` when it names a parent, else None."""
        if customer in scope.direct_targets:
            return "company"
        return "parent" if customer in scope.targeted_companies else None

    def targeted_country(self, scope: Scope, customer: str) -> str | None:
        """The first (by id) country the customer is located in that R targets."""
        return next((c for c in self.locations(customer) if c in scope.targeted_countries), None)

    def restricts(self, scope: Scope, item: str | None) -> bool:
        """R restricts the item or a product it is (transitively) a variant or type of."""
        return item is not None and item in scope.restricted_items

    def cuts(self, link: Link) -> list[Cut]:
        """The regulations (sorted by id) that cut ``link`` on the date, each with a reason."""
        found = []
        for scope in self.candidates(link):
            target = self.targets_customer(scope, link.customer)
            country = None
            if target is None:
                if not self.restricts(scope, link.item):
                    continue
                country = self.targeted_country(scope, link.customer)
                if country is None:
                    continue
            reach = self.reaches(scope, link.supplier)
            if reach is not None:
                why = reason(scope, link, reach, target, country)
                review = scope.review(link.customer) if target else scope.review(country, link.item)
                found.append(Cut(scope.id, scope.name, why, review))
        return found

    def narrower_cuts(self, link: Link) -> list[tuple[str, list[Cut]]]:
        """Cuts of the kinds of the link's item that rules restrict, the link itself not cut.

        A rule that targets the customer's country and restricts a *narrower* item (a variant
        or member of the link's item: the Dutch 2023 rule on NXT:2000i and later, a link that
        says "DUV immersion system") does not cut the link: the rest of the item still flows.
        Each such item is cut on its own, as if the link carried it. Sorted by item.
        """
        if link.item is None:
            return []
        found: dict[str, set[str]] = {}
        for country in self.locations(link.customer):
            for item, scope in self.by_country_broader.get((country, link.item), ()):
                found.setdefault(item, set()).add(scope.id)
        out = []
        for item in sorted(found):
            narrow = Link(link.supplier, link.customer, item, link.derived, (), ())
            cuts = [c for c in self.cuts(narrow) if c.regulation in found[item]]
            if cuts:
                out.append((item, cuts))
        return out


def _rank(review: str) -> int:
    """Strictness of a licence review (lower is stricter; unknown values last)."""
    return REVIEW_ORDER.index(review) if review in REVIEW_ORDER else len(REVIEW_ORDER)


def reason(scope: Scope, link: Link, reach: str, target: str | None, country: str | None) -> str:
    """Why ``scope`` cuts ``link``, in the words the Cypher files also produce."""
    jur, reg = scope.jurisdiction, scope.id
    if reach == "located":
        first = f"supplier located in {jur} (jurisdiction of {reg})"
    else:
        first = f"supplier depends on tools or technology from {jur} (foreign direct product rule of {reg})"
    if target == "company":
        second = f"customer {link.customer} targeted by it"
    elif target == "parent":
        second = f"parent of customer {link.customer} targeted by it"
    else:
        second = f"customer located in {country} targeted by it; item {link.item} restricted"
    return f"{first}; {second}"


def jurisdiction_reaches(reg: Entity, supplier: str, on: str, g: GraphView) -> str | None:
    """Whether (and how) the regulation's law reaches the supplier on a date."""
    rules = Rules(g, on)
    return rules.reaches(rules.scope(reg), supplier)


def targets_customer(reg: Entity, customer: str, g: GraphView, on: str) -> str | None:
    """Whether the regulation targets the customer (``company``) or its parent (``parent``)."""
    rules = Rules(g, on)
    return rules.targets_customer(rules.scope(reg), customer)


def restricts_item(reg: Entity, item: str, g: GraphView, on: str) -> bool:
    """Whether the regulation restricts the item, directly or as a variant/type of one.

    Products the regulation exempts (negated RESTRICTS) block the walk to their variants.
    """
    rules = Rules(g, on)
    return rules.restricts(rules.scope(reg), item)
