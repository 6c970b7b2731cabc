// Shared shapes that cross stage boundaries: run metadata, the metric catalogue entry,
// per-set statistics and the report model that render turns into HTML/PDF/JSON/Markdown.
// report.json (DESIGN §6) is a projection of `Report`.

export type Better = 'lower' | 'higher' | 'none';

/** Report sections in locli's order. */
export type Section = 'resources' | 'anomaly' | 'forging' | 'peer' | 'propagation';

export interface MetricDef {
  id: string;
  section: Section;
  title: string;
  unit: string;
  better: Better;
  /** One sentence, shown in the data dictionary. */
  definition: string;
  /** `distribution`: run value = mean of a within-run distribution; `count`: a per-run count. */
  kind: 'distribution' | 'count';
}

export type TracingBackend = 'trace-dispatcher' | 'iohk-monitoring';

/** What discover learns about one run directory before anything is ingested. */
export interface RunInfo {
  /** Stable id of the run inside the warehouse: the meta tag, or the directory name. */
  tag: string;
  /** Absolute path of the run directory. */
  path: string;
  batch: string | null;
  profile: string | null;
  era: string | null;
  ghcVersion: string | null;
  nodeVersion: string | null;
  nodeCommit: string | null;
  /** meta.manifest's cardano-node branch: history shows it beside the commit. */
  nodeBranch: string | null;
  tracingBackend: string | null;
  /** Effective RTS flags: the defaults followed by the override. */
  rtsFlags: string[];
  rtsOverride: string[];
  hosts: number | null;
  tps: number | null;
  /** Workload length from profile_content (generator duration), seconds; null when absent. */
  durationS?: number | null;
  /**
   * profile_content.analysis.filters: the names of locli's chain filters the run's profile
   * asks for (the default block filters); null when the profile names none.
   */
  analysisFilters?: string[] | null;
  /** Every package of meta.manifest (node, consensus, ledger, network, plutus, …). */
  packages?: PackageInfo[];
  genesis: Genesis;
  nodes: NodeLogs[];
  /** Fingerprint over all log files (path, size, mtime) plus meta and genesis. */
  fingerprint: string;
  /** Set when the run comes from an extract folder (pipeline/extract.ts): that folder. */
  extract?: string;
}

/** Over which blocks a run's per-block metrics were computed (Report.blocks_used). */
export interface BlocksUsed {
  used: number;
  forged: number;
  undecided: number;
  /** Slots of the undecided blocks, ascending (a block whose slot is unknown is left out). */
  undecided_slots: number[];
}

/** One component of a run's build manifest (meta.manifest). */
export interface PackageInfo {
  name: string;
  commit: string | null;
  branch: string | null;
  version: string | null;
}

export interface Genesis {
  systemStart: string;
  slotLength: number;
  epochLength: number;
  activeSlotsCoeff: number | null;
  securityParam: number | null;
  /** maxBlockBodySize from protocolParams, for block fullness filters. */
  maxBlockBodySize: number | null;
}

export interface NodeLogs {
  /** Node directory name, e.g. `node-3`: the node's identity. */
  node: string;
  /** Log files in time order (oldest rotation first). */
  files: string[];
}

/** Run-level statistics of one metric in one set (DESIGN §5 variance table). */
export interface SetStats {
  /** Run values in the order of the set's runs; null where a run has no value. */
  runs: (number | null)[];
  n: number;
  mean: number | null;
  sd: number | null;
  cov: number | null;
  min: number | null;
  max: number | null;
  range: number | null;
  ci95: [number, number] | null;
}

export type Verdict =
  | 'regressed'
  | 'improved'
  | 'changed'
  | 'unchanged'
  | 'inconclusive'
  | 'insufficient-data';

export type VarianceVerdict = 'smaller' | 'larger' | 'inconclusive' | 'insufficient-data';

export interface VarianceChange {
  sd_ratio: number | null;
  p_value: number | null;
  q_value: number | null;
  verdict: VarianceVerdict;
}

/**
 * With one run per side, a labelled within-run estimate of Δ%: a block bootstrap over time
 * windows of each run. It is shown beside the verdict, which stays `insufficient-data`.
 */
export interface WithinRunEstimate {
  ci95_pct: [number, number];
  windows: number;
  resamples: number;
  method: string;
}

/**
 * How a verdict was reached (DESIGN §5.1): `welch` (≥ 2 runs a side), `prediction-interval`
 * (one candidate run against ≥ 3 baseline runs) or `within-run` (one run a side: a labelled
 * verdict from the block bootstrap that never counts as a run-to-run verdict).
 */
export type ComparisonMethod = 'welch' | 'prediction-interval' | 'within-run';

/** One metric compared between the sets: a `metrics[]` entry of report.json. */
export interface MetricComparison {
  id: string;
  section: Section;
  unit: string;
  better: Better;
  baseline: SetStats;
  candidate: SetStats;
  delta: number | null;
  delta_pct: number | null;
  ci95_pct: [number, number] | null;
  /** How ci95_pct was computed, e.g. `welch`. */
  ci_method: string;
  p_value: number | null;
  /** Mann-Whitney U two-sided p-value, only where both sides have ≥ 4 runs. */
  p_value_mwu: number | null;
  q_value: number | null;
  noise_pct: number;
  mde_pct: number | null;
  runs_needed: number | null;
  verdict: Verdict;
  method: ComparisonMethod;
  variance: VarianceChange;
  /** Only for one run per side; decides a `within-run` verdict, never a run-to-run one. */
  within_run?: WithinRunEstimate | null;
  /**
   * Set when every run's value equals that of another metric (adoption centiles that pick the
   * same node at this node count): a copy of that metric's comparison, not a test of its own.
   */
  coincides_with?: string;
  /**
   * DESIGN §5.5: `primary` metrics (those a gate names, else the catalogue's primary list)
   * decide the gate and the decision line; `exploratory` ones are reported and fail nothing
   * unless named. Each family is a Benjamini-Hochberg family of its own.
   */
  family: Family;
  /**
   * The equivalence margin of `unchanged`, in %: min(noise threshold, the metric's budget,
   * --max-margin (10% by default)). `unchanged` needs the whole CI inside ±margin.
   */
  margin_pct: number;
  /** The noise threshold is above 50%: too noisy to judge at this run count (see runs_needed). */
  too_noisy?: boolean;
  /** A rare count judged on its absolute scale (DESIGN §5.5): the margin in the metric's unit. */
  margin_abs?: number;
  /** With `margin_abs`: the 95% CI of Δ in the metric's unit, which the verdict reads. */
  ci95_delta?: [number, number] | null;
}

export type Family = 'primary' | 'exploratory';

/** The decision line (DESIGN §5.5, §6 `decision`): what page 1 says about one candidate set. */
export type DecisionStatus = 'ship' | 'hold' | 'trade-off' | 'undecided';

/** A primary metric behind a decision, with the numbers the line quotes. */
export interface DecisionItem {
  metric: string;
  title: string;
  unit: string;
  better: Better;
  delta_pct: number | null;
  ci95_pct: [number, number] | null;
  margin_pct: number;
  budget_pct: number | null;
  runs_needed: number | null;
  verdict: Verdict;
  method: ComparisonMethod;
  /** Why it is a cost, a gain or undecided, in a few words with its numbers. */
  reason: string;
}

export interface Decision {
  status: DecisionStatus;
  /** The whole decision in one line, with the numbers that made it. */
  line: string;
  /** A gate decided (its budgets, waivers, require_decided) or the verdicts alone did. */
  from: 'gate' | 'verdicts';
  /** The candidate set's label. */
  set: string;
  /** Primary metrics with a proven cost (regressed beyond margin or budget). */
  costs: DecisionItem[];
  /** Primary metrics with a proven gain. */
  gains: DecisionItem[];
  /** Primary metrics whose CI still allows harm beyond their margin or budget. */
  undecided: DecisionItem[];
  /** Primary metrics decided unchanged, improved or within budget. */
  cleared: string[];
}

export interface RunManifest {
  tag: string;
  path: string;
  tracing_backend: string | null;
  rts_flags: string[];
  hosts: number | null;
  log_lines: number;
  malformed_lines: number;
  profile: string | null;
  ghc_version: string | null;
  node_version: string | null;
  era: string | null;
  batch: string | null;
  /** Build manifest packages; absent in models written before they were read. */
  packages?: PackageInfo[];
}

export interface SetManifest {
  label: string;
  runs: RunManifest[];
}

/** One point of a within-run distribution at a locli centile, for CDF charts. */
export interface DistributionPoint {
  metric: string;
  set: 'baseline' | 'candidate';
  /** Multi-way reports: 0 the baseline, k the k-th candidate set (absent in two-set reports). */
  set_index?: number;
  run: string;
  centile: number;
  value: number;
}

/** One resource time-series point (per run, mean over hosts in a time bucket). */
export interface ResourcePoint {
  set: 'baseline' | 'candidate';
  /** As in DistributionPoint. */
  set_index?: number;
  run: string;
  /** Seconds since the run's first sample. */
  t: number;
  cpu_pct: number | null;
  rss_mb: number | null;
}

/** A message that is no canonical event: mean count per run in each set (trace frequency). */
export interface MessageCount {
  ns: string;
  kind: string;
  baseline: number;
  candidate: number;
}

export interface FilterReport {
  name: string;
  description: string;
  /** Blocks removed by this filter, per run tag. */
  removed: Record<string, number>;
}

export interface MalformedSample {
  run: string;
  file: string;
  line: string;
}

/** Something the inputs could not answer or that looks wrong (DESIGN §6 `warnings`). */
export interface Warning {
  /** The run's tag, or null when the warning concerns a set or the whole report. */
  run: string | null;
  /** A stable kebab-case code, e.g. `chain-incomplete`, `clock-skew`, `mixed-configuration`. */
  code: string;
  /** One sentence for people. */
  message: string;
}

/** What a gates file (or `--fail-on-regression`) decided (DESIGN §5.4; report.json `gate`). */
export interface GateResult {
  status: 'pass' | 'fail' | 'undecided';
  /** The gates file, or `--fail-on-regression` (every metric at its noise threshold). */
  source: string;
  /** Regressions beyond their budget. `series` is set on history gates. */
  failed: { metric: string; series?: string; delta_pct: number | null; budget_pct: number }[];
  /** Regressions accepted: by a waiver (with its reason) or within their budget. */
  waived: { metric: string; series?: string; delta_pct: number | null; budget_pct: number | null; reason: string }[];
  /** Metrics the gate could not decide: only within-run evidence, or `require_decided` unmet. */
  undecided: { metric: string; series?: string; reason: string }[];
}

/** One candidate set of a multi-way report (DESIGN §5.2), compared with the one baseline. */
export interface CandidateSet extends SetManifest {
  /** Its comparisons, q-values from one BH family over every (metric, candidate) of the report. */
  metrics: MetricComparison[];
}

export interface Report {
  schema: 'bench-report/report@1';
  title: string;
  workload: string | null;
  generated_at: string;
  tool_version: string;
  baseline: SetManifest;
  candidate: SetManifest;
  metrics: MetricComparison[];
  /** Catalogue entries for every metric in `metrics`, in report order. */
  catalogue: MetricDef[];
  /** Manifest fields whose values differ between the sets (e.g. `tracing_backend`). */
  differences: string[];
  /** What the inputs could not answer or look wrong; shown next to the verdict summary. */
  warnings: Warning[];
  /** The gate's result when one was asked for (`--gate`, `--fail-on-regression`). */
  gate?: GateResult | null;
  /** One decision per candidate set, in set order (DESIGN §5.5): at the top of every format. */
  decisions?: Decision[];
  /** Generated sentences answering "what changed?". */
  observations: string[];
  /** What could not be decided, and how many runs would decide it. */
  undecided: string[];
  alpha: number;
  ci_method_note: string;
  distributions: DistributionPoint[];
  resources: ResourcePoint[];
  filters: FilterReport[];
  /**
   * Per run tag, when some run's chain is incomplete (chain-incomplete): over how many blocks
   * its per-block forging, peer and adoption metrics were computed (`used`: chain blocks that
   * passed the filters) of the blocks it forged (`forged`), and how many of those the logs
   * could not place on or off the chain (`undecided`). Absent when every chain is complete.
   */
  blocks_used?: Record<string, BlocksUsed>;
  /** Other messages, most frequent first (at most 30). */
  messages?: MessageCount[];
  malformed: MalformedSample[];
  provenance: { inputs: string[]; queries: string[]; versions: Record<string, string> };
  /** The reviewer's own notes (`--notes FILE.md`), Markdown, rendered sanitised in place. */
  notes?: string | null;
  /**
   * Two or more candidate sets: every set with its comparisons (report.json is then
   * `bench-report/matrix@1`); `candidate` and `metrics` mirror the first of them.
   */
  candidates?: CandidateSet[];
}

/** One time window of a run: its sample count and sum for one metric. */
export interface WindowSum {
  n: number;
  total: number;
}
