#!/usr/bin/env bash
# Stops the one-host Slurm cluster that scripts/slurm-up.sh started: slurmd, slurmctld and,
# if that script started it, munged — each by the pid file it recorded, nothing by name.
set -uo pipefail
DIR="${BENCH_REPORT_SLURM_DIR:-/var/tmp/bench-report-slurm}"
for d in slurmd slurmctld munged; do
  f="$DIR/$d.pid"
  [ -s "$f" ] || continue
  pid="$(cat "$f")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
done
# Job state from this test cluster is not wanted by the next one.
rm -rf "$DIR/state" "$DIR/spool"
exit 0
