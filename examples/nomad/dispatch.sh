#!/usr/bin/env bash
# Dispatches one bench-extract job per run, waits until every one has completed, then
# dispatches bench-report over the extracts. NOT tested in this repository (no Nomad here);
# the tested path is examples/slurm/. Needs `nomad` configured (NOMAD_ADDR, NOMAD_TOKEN) and
# both jobs registered (nomad job run extract.nomad.hcl report.nomad.hcl).
#
#   examples/nomad/dispatch.sh RUNS.txt NAME
#
# RUNS.txt: `baseline RUN` / `candidate RUN` per line, RUN relative to the bench-runs volume.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 RUNS.txt NAME" >&2
  exit 2
fi
list="$1"
name="$2"

dispatch() { # job meta... → dispatched job id
  local job="$1"
  shift
  nomad job dispatch -detach "$@" "$job" | awk '/Dispatched Job ID/ { print $NF }'
}
wait_ok() { # job id, task group → 0 when its one allocation completed
  local id="$1" group="$2"
  while [ "$(nomad job status -short "$id" | awk '$1 == "Status" { print $3 }')" != dead ]; do sleep 5; done
  # Summary columns: Task Group, Queued, Starting, Running, Failed, Complete, Lost, …
  nomad job status "$id" | awk -v g="$group" '$1 == g && $6 >= 1 && $5 == 0 { ok = 1 } END { exit !ok }'
}

ids=()
while read -r set run; do
  [ -n "$set" ] || continue
  ids+=("$(dispatch bench-extract -meta "name=$name" -meta "set=$set" -meta "run=$run")")
done <"$list"
echo "dispatched ${#ids[@]} extracts"
for id in "${ids[@]}"; do
  wait_ok "$id" extract || { echo "$id: extract failed; see nomad alloc logs." >&2; exit 1; }
done
report="$(dispatch bench-report -meta "name=$name")"
echo "dispatched $report"
wait_ok "$report" report || { echo "$report: report failed; see nomad alloc logs." >&2; exit 1; }
echo "report in /shared/$name/report/ (the bench-shared volume)"
