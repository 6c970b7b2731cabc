#!/usr/bin/env bash
# Fans bench-report's ingest out over a Slurm cluster: one array task per run — or, for a run
# too big for one task, per slice of its node logs — writes an extract (Parquet) into a shared
# folder, then a job that starts only when every task succeeded (--dependency=afterok) merges
# the slices and builds the report from the extracts alone.
#
#   examples/slurm/submit.sh RUNS.txt SHARED_DIR [SLOTS]
#
# RUNS.txt: one run per line, `baseline /path/to/run` or `candidate /path/to/run`, optionally
# followed by a number of parts N (`candidate /path/to/huge-run 8`): that run becomes N tasks,
# `bench-report extract RUN --part K/N`, each holding a contiguous slice of its nodes (N at most
# its number of nodes; N = nodes is one task per node log). The runs must be readable from
# every compute node. SHARED_DIR: a folder every node can write (tasks.txt, parts/, extracts/,
# report/, logs/ go there). SLOTS: how many array tasks may run at once (default: as many as
# Slurm gives). Prints the array job id, then the report job id.
# BENCH_REPORT: how to run the tool on the nodes (default `bench-report`, e.g. from a global
# npm install); FORMATS: report formats (default html,json,md — pdf needs Chromium there).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 2 ]; then
  echo "usage: $0 RUNS.txt SHARED_DIR [SLOTS]" >&2
  exit 2
fi
list="$(realpath "$1")"
shared="$(mkdir -p "$2" && realpath "$2")"
slots="${3:-}"
good="$(grep -cE '^(baseline|candidate) [^ ]+( [1-9][0-9]*)?$' "$list" || true)"
if [ "$good" -eq 0 ] || [ "$good" -ne "$(grep -cv '^\s*$' "$list")" ]; then
  echo "$list: every line must be 'baseline PATH' or 'candidate PATH', optionally followed by a number of parts (and there must be one)." >&2
  exit 2
fi
mkdir -p "$shared/logs" "$shared/extracts" "$shared/parts"
# One line per array task: `SET PATH -` (the whole run) or `SET PATH K/N` (part K of N).
tasks="$shared/tasks.txt"
grep -v '^\s*$' "$list" | while read -r set_name run parts; do
  if [ -z "${parts:-}" ]; then
    echo "$set_name $run -"
  else
    for k in $(seq 1 "$parts"); do echo "$set_name $run $k/$parts"; done
  fi
done >"$tasks"
n="$(wc -l <"$tasks")"
export BENCH_TASKS="$tasks" BENCH_SHARED="$shared" BENCH_REPORT="${BENCH_REPORT:-bench-report}" FORMATS="${FORMATS:-html,json,md}"

array="$(sbatch --parsable --array="0-$((n - 1))${slots:+%$slots}" \
  --output="$shared/logs/extract-%A_%a.out" --export=ALL "$here/extract.sbatch")"
array="${array%%;*}"
report="$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$shared/logs/report-%j.out" --export=ALL "$here/report.sbatch")"
echo "$array"
echo "${report%%;*}"
