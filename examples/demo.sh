#!/usr/bin/env bash
# The main job on the embedded default: a fresh SQLite ledger with realistic cases,
# then each case's state and history as an auditor would read them.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin/complaints
# Its own file: `make demo` builds demo.db, which the tour must not replace.
db=${TOUR_DB:-tour.db}
rm -f "$db" "$db-wal" "$db-shm"
export COMPLAINTS_DB="$db" COMPLAINTS_ACTOR="demo"
"$bin" batch examples/demo-cases.txt
for ref in CSC-2024-0101 CSC-2024-0102 CSC-2024-0103 CSC-2024-0104 CSC-2024-0105 CSC-2024-0106; do
  echo
  echo "=================================================================== $ref"
  "$bin" show "$ref" --no-personal
  echo "--- history"
  "$bin" history "$ref"
done
echo
echo "Ledger written to $db"
