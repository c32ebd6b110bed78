// exposure, Browser GRAPH form: the witness subgraph of $entity's dependents on $on, as paths
// Browser draws - each reached customer's witness step as the claims it rests on (SUPPLIES, or
// DESIGNS/MANUFACTURES and OWNS/USES for a derived link), and every cut link as a virtual
// relationship CUT (denied) or LICENCE_REQUIRED (licence review), carrying the item, the
// regulations and the reason. Virtual relationships exist only in the answer, never in the graph.
// Run in Neo4j Browser after setting the parameters below (`:param name => value`).

// -- shared: witness step claims ---------------------------------------------------------------
// -- end shared: witness step claims -----------------------------------------------------------
WITH held, [x IN cut_off | x {.*, kind: 'CUT'}]
  + [x IN licence_required | x {.*, kind: 'LICENCE_REQUIRED'}] AS cut
// -- shared: cut links drawn -------------------------------------------------------------------
// -- end shared: cut links drawn ---------------------------------------------------------------
RETURN path
