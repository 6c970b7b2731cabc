// Words, symbols and orders the report shows for verdicts, sections and manifest fields:
// one catalogue shared by the HTML, Markdown and chart renderers.
import type { Report, RunManifest, Section, VarianceVerdict, Verdict } from '../core/index.js';

export interface VerdictLabel {
  symbol: string;
  word: string;
}

/** A verdict is never shown by colour alone: each has a symbol and a word. */
export const VERDICT_LABELS: Record<Verdict, VerdictLabel> = {
  regressed: { symbol: '▲', word: 'regressed' },
  improved: { symbol: '▼', word: 'improved' },
  changed: { symbol: '◆', word: 'changed' },
  unchanged: { symbol: '=', word: 'unchanged' },
  inconclusive: { symbol: '?', word: 'inconclusive' },
  'insufficient-data': { symbol: '∅', word: 'insufficient data' },
};

export const VARIANCE_LABELS: Record<VarianceVerdict, VerdictLabel> = {
  larger: { symbol: '↑', word: 'larger' },
  smaller: { symbol: '↓', word: 'smaller' },
  inconclusive: { symbol: '?', word: 'inconclusive' },
  'insufficient-data': { symbol: '∅', word: 'insufficient data' },
};

/** Summary order: what needs attention first. */
export const VERDICT_ORDER: readonly Verdict[] = [
  'regressed',
  'improved',
  'changed',
  'unchanged',
  'inconclusive',
  'insufficient-data',
];

/** Markdown row order: regressions first, settled-and-boring last. */
export const VERDICT_ROW_ORDER: readonly Verdict[] = [
  'regressed',
  'improved',
  'changed',
  'inconclusive',
  'insufficient-data',
  'unchanged',
];

/** locli's section order and titles. */
export const SECTIONS: readonly { id: Section; title: string }[] = [
  { id: 'resources', title: 'Resource usage' },
  { id: 'anomaly', title: 'Anomaly control' },
  { id: 'forging', title: 'Forging' },
  { id: 'peer', title: 'Peer propagation' },
  { id: 'propagation', title: 'End-to-end propagation' },
];

export function sectionTitle(id: Section): string {
  return SECTIONS.find((s) => s.id === id)?.title ?? id;
}

/** Manifest fields in the order the run manifest shows them. */
export const MANIFEST_FIELDS: readonly { key: keyof RunManifest; label: string; kind: 'text' | 'flags' | 'count' }[] = [
  { key: 'tracing_backend', label: 'Tracing backend', kind: 'text' },
  { key: 'rts_flags', label: 'RTS flags', kind: 'flags' },
  { key: 'ghc_version', label: 'GHC', kind: 'text' },
  { key: 'node_version', label: 'Node version', kind: 'text' },
  { key: 'profile', label: 'Profile', kind: 'text' },
  { key: 'era', label: 'Era', kind: 'text' },
  { key: 'batch', label: 'Batch', kind: 'text' },
  { key: 'hosts', label: 'Nodes', kind: 'count' },
  { key: 'log_lines', label: 'Log lines', kind: 'count' },
  { key: 'malformed_lines', label: 'Malformed lines', kind: 'count' },
];

/** Slots named in the note before the rest is only counted. */
const NOTE_SLOTS = 10;

/** `: slots 29, 37`, the first NOTE_SLOTS of them, then how many more. */
function slotList(slots: readonly number[]): string {
  if (slots.length === 0) return '';
  const shown = slots.slice(0, NOTE_SLOTS).join(', ');
  const more = slots.length > NOTE_SLOTS ? ` and ${slots.length - NOTE_SLOTS} more` : '';
  return `: slot${slots.length === 1 ? '' : 's'} ${shown}${more}`;
}

/**
 * Per-block metrics over a subset (report.blocks_used, chain-incomplete): n of N forged, per
 * run, and the slots of the blocks left undecided.
 */
export function blocksNote(report: Report): string {
  if (!report.blocks_used) return '';
  const runs = Object.entries(report.blocks_used).filter(([, b]) => b.used < b.forged);
  if (runs.length === 0) return '';
  const parts = runs.map(
    ([tag, b]) => `${tag}: ${b.used} of ${b.forged} forged${b.undecided > 0 ? ` (${b.undecided} not placed on or off the chain${slotList(b.undecided_slots)})` : ''}`,
  );
  return `Per-block metrics are over the chain blocks the logs place and the filters keep: ${parts.join('; ')}.`;
}
