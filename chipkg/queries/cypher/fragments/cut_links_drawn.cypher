// -- shared: cut links drawn -------------------------------------------------------------------
// Every cut link (`cut`: entries with a `link`) as a one-step path over a virtual relationship
// CUT (denied) or LICENCE_REQUIRED (licence review) from supplier to customer, carrying the item,
// the regulations (ids, comma-separated), the reason and the claims; then one row per path.
CALL (cut) {
  UNWIND cut AS x
  MATCH (s:Entity {id: x.link.supplier.id}), (c:Entity {id: x.link.customer.id})
  RETURN collect(apoc.path.create(s, [apoc.create.vRelationship(s, x.kind, {
    item: coalesce(x.item, ''), regulation: apoc.text.join([r IN x.regulations | r.id], ', '),
    reason: x.reason, claims: x.link.claims}, c)])) AS drawn
}
UNWIND held + drawn AS path
// -- end shared: cut links drawn ---------------------------------------------------------------
