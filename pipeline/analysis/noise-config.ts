// Per-metric noise thresholds (DESIGN §5): reads the noise configuration file (JSON or YAML,
// chosen by extension) and resolves the threshold for each metric.
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CATALOGUE, NOISE_PCT, CliError, readOptionFile } from '../core/index.js';

export interface NoiseConfig {
  /** `noise_pct` of the file: the threshold for metrics not listed in `metrics`. */
  default?: number;
  /** Per-metric thresholds in %, by metric id. */
  metrics: Record<string, number>;
  /** Significance level for verdicts. */
  alpha?: number;
}

/** Used when neither the config nor the command line says anything. */
export const DEFAULT_NOISE_PCT = 2;

const KEYS = new Set(['noise_pct', 'alpha', 'metrics']);
const METRIC_IDS = new Set(CATALOGUE.map((d) => d.id));

function isThreshold(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

export async function loadNoiseConfig(path: string): Promise<NoiseConfig> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.json' && ext !== '.yaml' && ext !== '.yml') {
    throw new CliError(`Noise config ${path} must end in .json, .yaml or .yml.`);
  }
  let text: string;
  try {
    text = await readOptionFile(path, '--noise-config', 'noise config', true);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `Noise config ${path} does not exist.`
        : `Noise config ${path} cannot be read (${code ?? (err as Error).message}).`,
    );
  }
  let raw: unknown;
  try {
    raw = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const what = ext === '.json' ? 'JSON' : 'YAML';
    const msg = (err as Error).message.split('\n')[0] ?? '';
    throw new CliError(`Noise config ${path} is not valid ${what}: ${msg.replace(/\.$/, '')}.`);
  }
  const bad = (what: string): CliError => new CliError(`Noise config ${path} is invalid: ${what}.`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw bad('expected a mapping with noise_pct, alpha and metrics');
  }
  const obj = raw as Record<string, unknown>;
  // Unknown keys are usually typos (`noise` for `noise_pct`); silently ignoring them would
  // apply the default threshold without anyone noticing.
  for (const k of Object.keys(obj)) {
    if (!KEYS.has(k)) throw bad(`unknown key "${k}" (expected noise_pct, alpha, metrics)`);
  }
  const cfg: NoiseConfig = { metrics: {} };
  if (obj.noise_pct !== undefined) {
    if (!isThreshold(obj.noise_pct)) throw bad('noise_pct must be a number ≥ 0');
    cfg.default = obj.noise_pct;
  }
  if (obj.alpha !== undefined) {
    const a = obj.alpha;
    if (typeof a !== 'number' || !(a > 0 && a < 1)) throw bad('alpha must be a number between 0 and 1');
    cfg.alpha = a;
  }
  if (obj.metrics !== undefined && obj.metrics !== null) {
    const m = obj.metrics;
    if (typeof m !== 'object' || Array.isArray(m)) throw bad('metrics must map metric ids to numbers');
    for (const [id, v] of Object.entries(m as Record<string, unknown>)) {
      // A misspelt id would leave its metric at the default threshold without a word.
      if (!METRIC_IDS.has(id)) throw bad(`unknown metric id "${id}" under metrics (the ids are those of report.json and the data dictionary)`);
      if (!isThreshold(v)) throw bad(`metrics.${id} must be a number ≥ 0`);
      cfg.metrics[id] = v;
    }
  }
  return cfg;
}

/**
 * Threshold for one metric: per-metric config > CLI `--noise` > config noise_pct > calibrated
 * from the warehouse's history (`--noise-from-history`) > the catalogue's A/A default > 2.
 */
export function noiseFor(id: string, cfg: NoiseConfig | null | undefined, cliDefault?: number, history?: Record<string, number>): number {
  const own = cfg !== null && cfg !== undefined && Object.hasOwn(cfg.metrics, id) ? cfg.metrics[id] : undefined;
  const fromHistory = history !== undefined && Object.hasOwn(history, id) ? history[id] : undefined;
  const catalogued = Object.hasOwn(NOISE_PCT, id) ? NOISE_PCT[id] : undefined;
  return own ?? cliDefault ?? cfg?.default ?? fromHistory ?? catalogued ?? DEFAULT_NOISE_PCT;
}
