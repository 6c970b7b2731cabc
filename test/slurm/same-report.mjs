// Checks that two report.json files are the same report: equal in every field but those
// that must differ between a report over runs and one over their extracts — generated_at
// (when it was made) and provenance.queries (the log-parsing queries run only for raw runs;
// the catalogue query listing an extract's tables only for extracts). Exit 1 names the field.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

const [fromRuns, fromExtracts] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const strip = (r) => ({ ...r, generated_at: null, provenance: { ...r.provenance, queries: null } });
const a = strip(fromRuns);
const b = strip(fromExtracts);
const differing = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !isDeepStrictEqual(a[k], b[k]));
if (differing.length > 0) {
  console.error(`report.json over extracts differs from the one over runs in: ${differing.join(', ')}`);
  process.exit(1);
}
console.log(`slurm: report.json over extracts equals the one over runs (${a.metrics.length} metrics, ${a.baseline.runs.length}+${a.candidate.runs.length} runs)`);
