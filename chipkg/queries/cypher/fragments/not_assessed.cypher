// -- shared: not assessed ----------------------------------------------------------------------
// Regulations with no known effective date: never in force, listed apart.
CALL () {
  MATCH (r:Regulation) WHERE r.effective_from IS NULL
  WITH r ORDER BY r.id
  RETURN collect({id: r.id, name: r.name, label: 'Regulation'}) AS not_assessed
}
// -- end shared: not assessed ------------------------------------------------------------------
