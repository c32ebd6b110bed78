#!/usr/bin/env bash
# Run a command (the test suite) with the managed test Neo4j up, then stop that server
# if, and only if, this script started it: a server someone else started keeps running.
# Uses CHIPKG (default .venv/bin/chipkg) and the CHIPKG_NEO4J_* variables of the instance.
set -euo pipefail
chipkg="${CHIPKG:-.venv/bin/chipkg}"
started=0

stop_if_started() {
  if [ "$started" -eq 1 ]; then
    "$chipkg" neo4j stop || echo "with-test-neo4j: could not stop the test Neo4j" >&2
  fi
}
trap stop_if_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if "$chipkg" neo4j status --json | grep -q '"running": true'; then
  echo "with-test-neo4j: the test Neo4j was already running; it stays running"
else
  started=1 # set first, so a start that fails half-way is cleaned up too
  "$chipkg" neo4j start
fi
"$@"
