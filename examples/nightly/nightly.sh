#!/usr/bin/env bash
# A nightly benchmark job, unattended: ingest tonight's runs into the warehouse, write the report
# of tonight's build against the earlier builds of the same configuration, write the history
# page, and fail on the gate. The warehouse is the only state kept between nights: earlier run
# folders may be deleted once ingested.
#
#   nightly.sh TONIGHT_DIR OUT_DIR
#
# Environment:
#   WAREHOUSE     DuckDB warehouse file kept between nights (default: ./bench-history.duckdb)
#   GATES         gates file (YAML/JSON, DESIGN §5.4); unset: the primary metrics (CPU, RSS, heap,
#                 allocation, forge-to-adoption, adoption p50/p90) at their noise thresholds
#   FORMATS       report formats (default: html,json,md,summary,junit; add pdf if Chromium is there)
#   BENCH_REPORT  how to run the tool (default: npx bench-report)
#   STRICT_GATE   1: an undecided gate fails the job too
#
# Exit codes, as the tool's: 0 the gate passed (or is undecided, with a warning), or this is the
# configuration's first night (no baseline yet: nothing to compare, said in the summary);
# 3 the gate failed or tonight's build regressed in a primary metric against the builds since
# the last change point; 2 bad input (no runs tonight, unknown metric in the gates file);
# 1 an internal failure. Exploratory metrics are reported and fail no night unless the gates
# file names them.
set -euo pipefail

TONIGHT=${1:?usage: nightly.sh TONIGHT_DIR OUT_DIR}
OUT=${2:?usage: nightly.sh TONIGHT_DIR OUT_DIR}
WAREHOUSE=${WAREHOUSE:-./bench-history.duckdb}
FORMATS=${FORMATS:-html,json,md,summary,junit}
read -r -a BR <<<"${BENCH_REPORT:-npx bench-report}"

gate=(--fail-on-regression)
[[ -n "${GATES:-}" ]] && gate=(--gate "$GATES")
[[ "${STRICT_GATE:-0}" == 1 ]] && gate+=(--strict-gate)

# 1. ingest tonight's runs (unchanged runs are skipped, so a re-run of the job is cheap).
"${BR[@]}" ingest "$TONIGHT" --db "$WAREHOUSE"

# Tonight's build and configuration, from the first run's meta.json (workbench layout).
meta=$(find -L "$TONIGHT" -maxdepth 2 -name meta.json | sort | head -n 1)
[[ -n "$meta" ]] || { echo "nightly.sh: $TONIGHT: no meta.json, no run tonight." >&2; exit 2; }
field() { node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const x = m.meta ?? m; const v = process.argv[2].split(".").reduce((o, k) => (o == null ? o : o[k]), x); process.stdout.write(v == null ? "" : String(v));' "$meta" "$1"; }
batch=$(field batch)
profile=$(field profile)
tracing=$(field profile_content.node.tracing_backend)
[[ -n "$batch" ]] || { echo "nightly.sh: $meta has no meta.batch; the build of tonight's runs is unknown." >&2; exit 2; }

# Night 1 of a configuration: no earlier build to compare with. Say so (in the summary too),
# write the history page, and succeed.
earlier=$("${BR[@]}" runs --db "$WAREHOUSE" --json --where "batch!=$batch" --where "profile=$profile" --where "tracing=$tracing" \
  | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => process.stdout.write(String(JSON.parse(s).length)));')
hformats=$(tr ',' '\n' <<<"$FORMATS" | grep -vx summary | paste -sd, -)
if [[ "$earlier" == 0 ]]; then
  mkdir -p "$OUT/report"
  printf '### nightly %s: no baseline yet\n\nNo earlier build of %s (%s) is in the warehouse %s: tonight'"'"'s build is the first, so nothing was compared and no gate applied. It is the baseline of the next nights.\n' \
    "$batch" "$profile" "$tracing" "$WAREHOUSE" >"$OUT/report/report-summary.md"
  "${BR[@]}" history --db "$WAREHOUSE" --out "$OUT/history" --format "$hformats" --where "profile=$profile" --where "tracing=$tracing"
  cat "$OUT/report/report-summary.md"
  echo "nightly.sh: $batch: no baseline yet (the first build of this configuration); nothing to gate." >&2
  exit 0
fi

# 2. the report: tonight's build against every earlier build of the same configuration.
status=0
"${BR[@]}" report --db "$WAREHOUSE" --out "$OUT/report" --format "$FORMATS" \
  --candidate-where "batch=$batch" \
  --baseline-where "batch!=$batch" --baseline-where "profile=$profile" --baseline-where "tracing=$tracing" \
  --title "nightly $batch against history" "${gate[@]}" || status=$?
[[ $status -eq 0 || $status -eq 3 ]] || exit "$status"

# 3. the history page: trends, change points, tonight against the builds since the last one.
hstatus=0
"${BR[@]}" history --db "$WAREHOUSE" --out "$OUT/history" --format "$hformats" \
  --where "profile=$profile" --where "tracing=$tracing" --fail-on-change "${gate[@]}" || hstatus=$?
[[ $hstatus -eq 0 || $hstatus -eq 3 ]] || exit "$hstatus"

# 4. the verdict of the night: the PR/CI summary on stdout, and the exit code.
cat "$OUT/report/report-summary.md" 2>/dev/null || true
if [[ $status -eq 3 || $hstatus -eq 3 ]]; then
  echo "nightly.sh: $batch failed the gate or regressed; see $OUT/report and $OUT/history." >&2
  exit 3
fi
