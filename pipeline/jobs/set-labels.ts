// Set names from what differs between the sets, most important first: the node version, then
// the node commit, then the tracing backend, then the RTS flags. A release candidate against
// the previous release is "node 10.2.0 …" against "node 10.1.4 …", not two sets both named by
// the RTS flags they share. When only tracing and RTS differ (or nothing does), the names are
// the runs' shared tracing and RTS flags, as before (setLabel).
import type { RunInfo } from '../core/index.js';
import { setLabel } from '../analysis/index.js';

/** The value every run of a set shares, or null when they differ or none has one. */
function shared(runs: readonly RunInfo[], of: (r: RunInfo) => string | null): string | null {
  const vs = new Set(runs.map(of));
  const [v] = [...vs];
  return vs.size === 1 && v !== undefined && v !== null && v !== '' ? v : null;
}

const tracing = (r: RunInfo): string | null =>
  r.tracingBackend === 'trace-dispatcher' ? 'new tracing' : r.tracingBackend === 'iohk-monitoring' ? 'legacy tracing' : r.tracingBackend;

/** The features that can name a set, in order of importance, each as the words a label shows. */
const FEATURES: { key: string; of: (r: RunInfo) => string | null; words: (v: string | null) => string }[] = [
  { key: 'node_version', of: (r) => r.nodeVersion, words: (v) => (v === null ? 'node version mixed' : `node ${v}`) },
  { key: 'node_commit', of: (r) => r.nodeCommit, words: (v) => (v === null ? 'commits mixed' : `commit ${v.slice(0, 7)}`) },
  { key: 'tracing', of: tracing, words: (v) => v ?? 'tracing mixed' },
  { key: 'rts', of: (r) => r.rtsOverride.join(' '), words: (v) => v ?? 'default RTS' },
];

/**
 * One label per set (baseline first): the words of every feature whose shared value differs
 * between the sets, in FEATURES order. Sets that differ only in tracing or RTS flags (or in
 * nothing) keep setLabel's names.
 */
export function differingLabels(sets: readonly (readonly RunInfo[])[]): string[] {
  const values = FEATURES.map((f) => sets.map((runs) => shared(runs, f.of)));
  const differs = values.map((vs) => new Set(vs).size > 1);
  if (!differs[0] && !differs[1]) return sets.map((runs) => setLabel([...runs]));
  return sets.map((_, k) =>
    FEATURES.filter((_, i) => differs[i])
      .map((f) => f.words(values[FEATURES.indexOf(f)]?.[k] ?? null))
      .join(' · '),
  );
}
