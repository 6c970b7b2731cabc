#!/usr/bin/env bash
# Fans bench-report's ingest out over a Slurm cluster: one array task per run writes that
# run's extract (Parquet) into a shared folder, then a job that starts only when every task
# succeeded (--dependency=afterok) builds the report from the extracts alone.
#
#   examples/slurm/submit.sh RUNS.txt SHARED_DIR [SLOTS]
#
# RUNS.txt: one run per line, `baseline /path/to/run` or `candidate /path/to/run`; the runs
# must be readable from every compute node. SHARED_DIR: a folder every node can write
# (extracts/, report/, logs/ go there). SLOTS: how many array tasks may run at once
# (default: as many as Slurm gives). Prints the array job id, then the report job id.
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
n="$(grep -cE '^(baseline|candidate) ' "$list" || true)"
if [ "$n" -eq 0 ] || [ "$n" -ne "$(grep -cv '^\s*$' "$list")" ]; then
  echo "$list: every line must be 'baseline PATH' or 'candidate PATH' (and there must be one)." >&2
  exit 2
fi
mkdir -p "$shared/logs" "$shared/extracts"
export BENCH_LIST="$list" BENCH_SHARED="$shared" BENCH_REPORT="${BENCH_REPORT:-bench-report}" FORMATS="${FORMATS:-html,json,md}"

array="$(sbatch --parsable --array="0-$((n - 1))${slots:+%$slots}" \
  --output="$shared/logs/extract-%A_%a.out" --export=ALL "$here/extract.sbatch")"
array="${array%%;*}"
report="$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$shared/logs/report-%j.out" --export=ALL "$here/report.sbatch")"
echo "$array"
echo "${report%%;*}"
