#!/usr/bin/env bash
# `npm run test:slurm`: the Slurm fan-out for real on a one-host cluster. Sets the cluster up
# (scripts/slurm-up.sh, as root), simulates a few small runs, submits examples/slurm/ (an
# extract array — one task per run, and one per node log of the run split in 3 parts — then the
# report job depending on it, which merges the parts), waits, and checks that the report the
# cluster built from extracts equals the one built here from the runs (test/slurm/same-report.mjs).
# The cluster is always taken down again, whatever happens (trap).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bin="node $root/bin/bench-report.js"
work="$(mktemp -d /var/tmp/bench-report-slurm-test.XXXXXX)"
cleanup() {
  bash "$root/scripts/slurm-down.sh"
  rm -rf "$work"
}
trap cleanup EXIT

t0=$(date +%s)
up="$(bash scripts/slurm-up.sh)" # a failed start stops here (set -e), unlike eval "$(…)"
eval "$up"
echo "slurm: cluster up in $(($(date +%s) - t0)) s ($SLURM_CONF)"

$bin simulate --out "$work/runs" --nodes 2 --slots 90 --runs 2 --seed 1 >/dev/null 2>&1
$bin simulate --out "$work/runs" --tracing legacy --rts "-A64m" --nodes 2 --slots 90 --runs 2 --seed 11 >/dev/null 2>&1
# The "huge" run: 3 nodes, extracted as one task per node log (3 parts), merged by the report job.
$bin simulate --out "$work/runs" --tracing legacy --rts "-A64m" --nodes 3 --slots 90 --runs 1 --seed 13 >/dev/null 2>&1
base=("$work/runs/sim-new-s1" "$work/runs/sim-new-s2")
cand=("$work/runs/sim-legacy-A64m-s11" "$work/runs/sim-legacy-A64m-s12" "$work/runs/sim-legacy-A64m-s13")
{
  for r in "${base[@]}"; do echo "baseline $r"; done
  echo "candidate ${cand[0]}"
  echo "candidate ${cand[1]}"
  echo "candidate ${cand[2]} 3"
} >"$work/runs.txt"

t1=$(date +%s)
ids="$(BENCH_REPORT="$bin" FORMATS=json,md bash examples/slurm/submit.sh "$work/runs.txt" "$work/shared" 2)"
array="$(echo "$ids" | sed -n 1p)"
report="$(echo "$ids" | sed -n 2p)"
echo "slurm: submitted extract array $array and report job $report"
for _ in $(seq 1 600); do
  [ -z "$(squeue -h -j "$array,$report" 2>/dev/null)" ] && break
  sleep 0.5
done
state="$(scontrol show job "$report" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')"
echo "slurm: report job $report $state after $(($(date +%s) - t1)) s"
if [ "$state" != COMPLETED ]; then
  for f in "$work"/shared/logs/*; do echo "== $f"; cat "$f"; done
  echo "slurm: the report job did not complete." >&2
  exit 1
fi

# The same report built here, from the raw runs, in the order the extract folders sort in.
$bin report -b "${base[@]}" -c "${cand[@]}" --out "$work/local" --format json --db "$work/local.duckdb" >/dev/null 2>&1
node test/slurm/same-report.mjs "$work/local/report.json" "$work/shared/report/report.json"
test -s "$work/shared/report/report.md"
# The split run went through 3 part tasks and the merge.
test "$(ls "$work/shared/parts/candidate" | grep -c '^sim-legacy-A64m-s13.part-[123]-of-3$')" -eq 3
test -f "$work/shared/extracts/candidate/sim-legacy-A64m-s13/manifest.json"
echo "slurm: fan-out passed in $(($(date +%s) - t0)) s"
