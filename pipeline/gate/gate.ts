// gate stage (DESIGN §5.4, §5.5): what a release or nightly job accepts. Reads a gates file
// (YAML or JSON) and judges a report's (or a history's latest builds') verdicts against it,
// over the primary metrics only (those the file names; without names, the catalogue's primary
// list); exploratory metrics fail nothing unless named. Each metric is classified as the
// decision line classifies it (analysis/decision.ts `classify`):
//   - a regression beyond its budget (`max_regression_pct`; without an entry, its noise
//     threshold — what `--fail-on-regression` means) fails unless waived; one proven within its
//     budget (the whole interval) passes, listed as waived;
//   - budgets bind: a budgeted metric whose interval may still exceed its budget is
//     `undecided`, with its numbers and the runs that would decide it — never a pass;
//   - within-run evidence (one run a side) never passes: such a regression is `undecided`,
//     and a gate that saw no run-to-run verdict at all is `undecided`, never a silent pass;
//   - `require_decided` metrics without a run-to-run verdict are `undecided`.
// Exit codes are the CLI's business: fail → 3, undecided → 0 with a warning (3 when strict).
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CliError, didYouMean, readOptionFile } from '../core/index.js';
import type { Better, ComparisonMethod, Family, GateResult, Verdict } from '../core/index.js';
import { classify, withCi } from '../analysis/index.js';

export interface GateSpec {
  /** Where the spec came from, for messages and report.json. */
  source: string;
  /** Per-metric budget: the largest regression in % that still passes. */
  budgets: Map<string, number>;
  requireDecided: string[];
  waivers: Map<string, string>;
}

/** One judged metric, as a report or a history's latest build gives it. */
export interface GateInput {
  metric: string;
  series?: string;
  verdict: Verdict;
  method: ComparisonMethod;
  delta_pct: number | null;
  noise_pct: number;
  /** The comparison's family; named metrics are primary whatever it says. Default primary. */
  family?: Family;
  better?: Better;
  ci95_pct?: [number, number] | null;
  margin_pct?: number;
  runs_needed?: number | null;
}

/** `--fail-on-regression`: no file, every metric's budget is its noise threshold. */
export const NOISE_GATE: GateSpec = { source: '--fail-on-regression', budgets: new Map(), requireDecided: [], waivers: new Map() };

const KEYS = new Set(['metrics', 'require_decided', 'waivers']);

/** Reads and checks a gates file; `known` are the metric ids a gate may name. */
export async function loadGate(path: string, known: readonly string[]): Promise<GateSpec> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.json' && ext !== '.yaml' && ext !== '.yml') throw new CliError(`Gates file ${path} must end in .json, .yaml or .yml.`);
  let text: string;
  try {
    text = await readOptionFile(path, '--gate', 'gates file', true);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `Gates file ${path} does not exist.` : `Gates file ${path} cannot be read (${code ?? 'error'}).`);
  }
  let raw: unknown;
  try {
    raw = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const msg = ((err as Error).message.split('\n')[0] ?? '').replace(/\.$/, '');
    throw new CliError(`Gates file ${path} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${msg}.`);
  }
  return parseGate(raw, path, known);
}

/** Checks a parsed gates document; every problem is one sentence naming the file (exit 2). */
export function parseGate(raw: unknown, path: string, known: readonly string[]): GateSpec {
  const bad = (what: string): CliError => new CliError(`Gates file ${path} is invalid: ${what}.`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad('expected a mapping with metrics, require_decided and waivers');
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!KEYS.has(k)) throw bad(`unknown key "${k}"${didYouMean(k, KEYS)} (expected metrics, require_decided, waivers)`);
  const ids = new Set(known);
  // A typo in a metric id would silently gate nothing: an input error, with the valid ids named.
  const check = (id: string, where: string): string => {
    if (!ids.has(id)) throw bad(`${where} names unknown metric "${id}"${didYouMean(id, ids)} (see the data dictionary or docs/metrics.md for ids)`);
    return id;
  };
  const spec: GateSpec = { source: path, budgets: new Map(), requireDecided: [], waivers: new Map() };
  if (obj.metrics !== undefined && obj.metrics !== null) {
    if (typeof obj.metrics !== 'object' || Array.isArray(obj.metrics)) throw bad('metrics must map metric ids to {max_regression_pct: N}');
    for (const [id, v] of Object.entries(obj.metrics as Record<string, unknown>)) {
      check(id, 'metrics');
      for (const k of v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []) {
        if (k !== 'max_regression_pct') throw bad(`metrics.${id} has unknown key "${k}"${didYouMean(k, ['max_regression_pct'])} (expected max_regression_pct)`);
      }
      const pct = (v as Record<string, unknown> | null)?.max_regression_pct;
      if (typeof pct !== 'number' || !Number.isFinite(pct) || pct < 0) throw bad(`metrics.${id}.max_regression_pct must be a number ≥ 0`);
      spec.budgets.set(id, pct);
    }
  }
  if (obj.require_decided !== undefined && obj.require_decided !== null) {
    if (!Array.isArray(obj.require_decided) || !obj.require_decided.every((x) => typeof x === 'string')) throw bad('require_decided must be a list of metric ids');
    spec.requireDecided = (obj.require_decided as string[]).map((id) => check(id, 'require_decided'));
  }
  if (obj.waivers !== undefined && obj.waivers !== null) {
    if (!Array.isArray(obj.waivers)) throw bad('waivers must be a list of {metric, reason}');
    for (const [i, w] of (obj.waivers as unknown[]).entries()) {
      const e = (w ?? {}) as Record<string, unknown>;
      if (typeof e.metric !== 'string') throw bad(`waivers[${i}] needs a metric`);
      if (typeof e.reason !== 'string' || e.reason.trim() === '') throw bad(`waivers[${i}] (${e.metric}) needs a reason`);
      spec.waivers.set(check(e.metric, `waivers[${i}]`), e.reason.trim());
    }
  }
  return spec;
}

const DECIDED: readonly Verdict[] = ['regressed', 'improved', 'changed', 'unchanged'];

/**
 * The metrics a gates file names with a budget or in require_decided: the primary family
 * (DESIGN §5.5). Null when it names none (`--fail-on-regression`, a file of waivers only): the
 * catalogue's primary list decides then.
 */
export function namedMetrics(spec: GateSpec): Set<string> | null {
  const named = new Set([...spec.budgets.keys(), ...spec.requireDecided]);
  return named.size > 0 ? named : null;
}

/** Judges the metrics against the spec. */
export function evaluateGate(spec: GateSpec, metrics: readonly GateInput[]): GateResult {
  const out: GateResult = { status: 'pass', source: spec.source, failed: [], waived: [], undecided: [] };
  const where = (m: GateInput) => (m.series === undefined ? {} : { series: m.series });
  const named = namedMetrics(spec);
  let runToRun = 0;
  for (const m of metrics) {
    const waiver = spec.waivers.get(m.metric);
    const budget = spec.budgets.get(m.metric) ?? null;
    if (waiver !== undefined) {
      if (m.verdict === 'regressed') out.waived.push({ metric: m.metric, ...where(m), delta_pct: m.delta_pct, budget_pct: budget, reason: waiver });
      continue;
    }
    // Exploratory metrics are reported, and fail nothing unless the gate names them.
    if (named !== null ? !named.has(m.metric) : (m.family ?? 'primary') !== 'primary') continue;
    const decided = m.method !== 'within-run' && DECIDED.includes(m.verdict);
    if (decided) runToRun++;
    const c = classify(
      { verdict: m.verdict, method: m.method, better: m.better ?? 'lower', delta_pct: m.delta_pct, ci95_pct: m.ci95_pct ?? null, noise_pct: m.noise_pct, runs_needed: m.runs_needed ?? null, ...(m.margin_pct === undefined ? {} : { margin_pct: m.margin_pct }) },
      budget,
    );
    if (m.verdict === 'regressed' && m.method === 'within-run') {
      out.undecided.push({ metric: m.metric, ...where(m), reason: 'regressed on within-run evidence only (one run a side)' });
    } else if (c.standing === 'cost') {
      out.failed.push({ metric: m.metric, ...where(m), delta_pct: m.delta_pct, budget_pct: budget ?? m.noise_pct });
    } else if (m.verdict === 'regressed' && c.standing === 'cleared') {
      out.waived.push({ metric: m.metric, ...where(m), delta_pct: m.delta_pct, budget_pct: budget, reason: `within its budget of ${budget}%` });
    } else if (c.standing === 'undecided' && budget !== null && m.method !== 'within-run') {
      // Budgets bind: an interval that may exceed the budget is not a pass.
      out.undecided.push({ metric: m.metric, ...where(m), reason: c.reason });
    } else if (spec.requireDecided.includes(m.metric) && !decided) {
      out.undecided.push({
        metric: m.metric,
        ...where(m),
        reason: m.method === 'within-run' ? 'required a run-to-run verdict; only within-run evidence' : `required a run-to-run verdict; was ${m.verdict}${m.ci95_pct ? ` at ${withCi({ delta_pct: m.delta_pct, ci95_pct: m.ci95_pct })}` : ''}`,
      });
    }
  }
  if (out.failed.length > 0) out.status = 'fail';
  else if (out.undecided.length > 0) out.status = 'undecided';
  else if (runToRun === 0) {
    // Nothing was decided run to run: passing would be a claim the data cannot make.
    out.status = 'undecided';
    out.undecided.push({ metric: '*', reason: 'no metric reached a run-to-run verdict (too few runs, or one run a side)' });
  }
  return out;
}

/** One line for stderr: what the gate decided and why. */
export function gateMessage(g: GateResult): string {
  const name = (x: { metric: string; series?: string }) => (x.series ? `${x.series}/${x.metric}` : x.metric);
  if (g.status === 'fail') return `gate: ${g.failed.length} metric(s) regressed: ${g.failed.map(name).join(', ')} beyond their budget; the gate fails.`;
  if (g.status === 'undecided') return `gate: undecided: ${g.undecided.map((u) => `${name(u)} ${u.reason}`).join('; ')}.`;
  return `gate: pass (${g.waived.length} waived).`;
}
