#!/usr/bin/env bash
# Extract + merge time for 8 runs over 1 vs 2 Slurm task slots (docs/benchmarks.md), on the
# one-host cluster of scripts/slurm-up.sh (brought up here and always taken down). The two
# slot counts alternate within each repeat, in alternating order, so both see the same
# machine; each measurement is wall time from submission to the report job's end, split into
# the extract array (submission → last task done) and the merge (→ report job done). For
# scale, each repeat also times the same report built in one process from the raw runs.
#   scripts/slurm-bench.sh [REPEATS=3] [NODES=6] [SLOTS_PER_RUN=1800]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
repeats="${1:-3}"
nodes="${2:-6}"
slots="${3:-1800}"
bin="node $root/bin/bench-report.js"
work="$(mktemp -d /var/tmp/bench-report-slurm-bench.XXXXXX)"
trap 'bash "$root/scripts/slurm-down.sh"; rm -rf "$work"' EXIT
npm run build >/dev/null
up="$(bash scripts/slurm-up.sh)" # a failed start stops here (set -e), unlike eval "$(…)"
eval "$up"

$bin simulate --out "$work/runs" --nodes "$nodes" --slots "$slots" --runs 4 --seed 1 >/dev/null 2>&1
$bin simulate --out "$work/runs" --tracing legacy --nodes "$nodes" --slots "$slots" --runs 4 --seed 21 >/dev/null 2>&1
for r in "$work"/runs/sim-new-*; do echo "baseline $r"; done >"$work/runs.txt"
for r in "$work"/runs/sim-legacy-*; do echo "candidate $r"; done >>"$work/runs.txt"
echo "8 runs of $nodes nodes × $slots slots: $(du -sh "$work/runs" | cut -f1) of logs"

now() { date +%s.%N; }
measure() { # slots → "total extract merge"
  rm -rf "$work/shared"
  local t0 t1 t2 ids array report
  t0=$(now)
  ids="$(BENCH_REPORT="$bin" FORMATS=json bash examples/slurm/submit.sh "$work/runs.txt" "$work/shared" "$1")"
  array="$(echo "$ids" | sed -n 1p)"
  report="$(echo "$ids" | sed -n 2p)"
  while [ -n "$(squeue -h -j "$array" 2>/dev/null)" ]; do sleep 0.1; done
  t1=$(now)
  while [ -n "$(squeue -h -j "$report" 2>/dev/null)" ]; do sleep 0.1; done
  t2=$(now)
  scontrol show job "$report" | grep -q 'JobState=COMPLETED' || { echo "report job $report failed" >&2; cat "$work"/shared/logs/* >&2; exit 1; }
  # The report job's own run time (1 s resolution); the rest of the merge is Slurm starting it.
  local run
  run="$(scontrol show job "$report" | sed -n 's/.*RunTime=\([0-9:]*\).*/\1/p' | awk -F: '{ print $1 * 3600 + $2 * 60 + $3 }')"
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v r="$run" 'BEGIN { printf "%.2f %.2f %.2f %d\n", c - a, b - a, c - b, r }'
}
local_report() { # the same report in one process from the raw runs, no Slurm: "total"
  rm -rf "$work/local" "$work/local.duckdb"
  local t0
  t0=$(now)
  # shellcheck disable=SC2046 # the run lists are word lists by construction
  $bin report -b $(awk '$1 == "baseline" { print $2 }' "$work/runs.txt") -c $(awk '$1 == "candidate" { print $2 }' "$work/runs.txt") \
    --out "$work/local" --format json --db "$work/local.duckdb" >/dev/null 2>&1
  awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f - - -\n", b - a }'
}
echo "repeat slots total_s extract_s merge_s report_job_run_s   (slots 0: one process, no Slurm, report from the raw runs)"
for i in $(seq 1 "$repeats"); do
  order="1 2 0"
  [ $((i % 2)) = 0 ] && order="0 2 1"
  for s in $order; do
    if [ "$s" = 0 ]; then echo "$i 0 $(local_report)"; else echo "$i $s $(measure "$s")"; fi
  done
done
