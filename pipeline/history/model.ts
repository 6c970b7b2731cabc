// The history model (DESIGN §5.3, §6 `bench-report/history@1`): series of builds of one
// configuration, per metric the build values, change points and the latest build's verdict.
// history.json is a projection of `History`; the HTML, PDF and Markdown render it.
import type { Better, ComparisonMethod, Family, GateResult, Section, Verdict, Warning } from '../core/index.js';

export interface SeriesKey {
  profile: string | null;
  tracing_backend: string | null;
  rts_flags: string[];
}

export interface HistoryBuild {
  /** meta.batch, or the run's tag when a run has no batch. */
  id: string;
  /** Earliest genesis systemStart of the build's runs (RFC 3339). */
  start: string;
  commit: string | null;
  branch: string | null;
  /** Tags of the build's runs. */
  runs: string[];
}

export interface HistoryChangePoint {
  /** Index (in `builds`) of the first build of the new level. */
  index: number;
  build: string;
  before_mean: number;
  after_mean: number;
  delta_pct: number | null;
  p_value: number;
  verdict: Verdict;
}

/** The latest build judged against the builds since the last change point before it. */
export interface HistoryLatest {
  verdict: Verdict;
  method: ComparisonMethod;
  delta_pct: number | null;
  ci95_pct: [number, number] | null;
  p_value: number | null;
  q_value: number | null;
  noise_pct: number;
  /** The equivalence margin of `unchanged` (DESIGN §5.5), in %. */
  margin_pct: number;
  /** Runs a side that would detect a change the size of the margin. */
  runs_needed: number | null;
  /** The comparison window: its first build and how many builds and runs it holds. */
  window: { from: string | null; builds: number; runs: number };
}

export interface HistoryMetric {
  id: string;
  title: string;
  section: Section;
  unit: string;
  better: Better;
  /** One entry per build, the mean of its runs' values; null where no run has a value. */
  values: (number | null)[];
  /** Each build's run values, in the order of `builds[].runs`. */
  runs: (number | null)[][];
  change_points: HistoryChangePoint[];
  latest: HistoryLatest | null;
  /** Primary metrics decide the nightly gate; exploratory ones are reported (DESIGN §5.5). */
  family: Family;
  /** An adoption centile that picks the same node as a lower one in every run: its copy. */
  coincides_with?: string;
}

export interface HistorySeries {
  label: string;
  key: SeriesKey;
  builds: HistoryBuild[];
  metrics: HistoryMetric[];
}

export interface History {
  schema: 'bench-report/history@1';
  generated_at: string;
  tool_version: string;
  series: HistorySeries[];
  warnings: Warning[];
  gate: GateResult | null;
  /** How change points were found, for the page's method note and reproducibility. */
  method: { name: string; significance: number; permutations: number; min_size: number; seed: number; alpha: number };
}
