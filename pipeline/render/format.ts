// Pure formatting of numbers, units, deltas, intervals and p-values for the HTML and Markdown
// reports. Everything returns display strings; unknown (null) is always an em dash.

/** Shown wherever a value is unknown. */
export const DASH = '—';
/** U+2212: a real minus sign lines up with `+` in tabular figures. */
const MINUS = '−';

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function withMinus(s: string): string {
  return s.startsWith('-') ? MINUS + s.slice(1) : s;
}

/**
 * A number with `sig` significant digits, but never fewer digits than its integer part:
 * 12.345 → "12.3", 0.012345 → "0.0123", 1234.5 → "1,235", 42 → "42", 0.00001234 → "1.23e−5".
 */
export function formatNumber(x: number | null, sig = 3): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  if (x === 0) return '0';
  const ax = Math.abs(x);
  if (Number.isInteger(x) || ax >= 10 ** sig) return withMinus(grouping.format(Math.round(x)));
  if (ax < 1e-4) return withMinus(x.toExponential(sig - 1).replace('e-', `e${MINUS}`).replace('e+', 'e'));
  const p = x.toPrecision(sig);
  // toPrecision switches to exponent form when rounding carries into a new digit (999.95 → 1.00e+3).
  return withMinus(p.includes('e') ? grouping.format(Math.round(x)) : p);
}

/** Units whose values are counts: integers print with grouping, no unit suffix. */
const COUNT_UNITS = new Set(['', 'count', 'blocks', 'slots', 'lines', 'runs', 'nodes']);

/**
 * A value in its metric's unit: seconds below one second print as milliseconds, percentages
 * without a space, counts bare, anything else as "<number> <unit>".
 */
export function formatValue(x: number | null, unit: string): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  switch (unit) {
    case 's':
      if (x !== 0 && Math.abs(x) < 1) return `${formatNumber(x * 1000)} ms`;
      return `${formatNumber(x)} s`;
    case '%':
      return `${formatNumber(x)}%`;
    case 'ratio':
      return formatNumber(x);
    case 'B':
    case 'bytes':
      return `${formatNumber(x)} B`;
    default:
      return COUNT_UNITS.has(unit) ? formatNumber(x) : `${formatNumber(x)} ${unit}`;
  }
}

/** Decimals for a percentage: 2 below 10, 1 below 100, none above. */
function pctDecimals(ax: number): number {
  return ax < 10 ? 2 : ax < 100 ? 1 : 0;
}

/** A signed percentage change: +9.76%, −0.42%, 0.00%; null (Δ% n/a) → "—". */
export function formatDeltaPct(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  const s = Math.abs(x).toFixed(pctDecimals(Math.abs(x)));
  if (Number(s) === 0) return `${s}%`;
  return `${x < 0 ? MINUS : '+'}${s}%`;
}

/** A 95% interval of Δ%: "[−1.20%, +3.40%]". */
export function formatCiPct(ci: readonly [number, number] | null): string {
  if (ci === null || !Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return DASH;
  return `[${formatDeltaPct(ci[0])}, ${formatDeltaPct(ci[1])}]`;
}

/** A 95% interval of a mean in the metric's unit: "[1.20 s, 3.40 s]". */
export function formatCiValue(ci: readonly [number, number] | null, unit: string): string {
  if (ci === null || !Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return DASH;
  return `[${formatValue(ci[0], unit)}, ${formatValue(ci[1], unit)}]`;
}

/** A p- or q-value with two significant digits; below 0.001 it is only bounded. */
export function formatP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return DASH;
  if (p < 0.001) return '<0.001';
  if (p >= 0.995) return '1.0';
  return Number(p.toPrecision(2)) >= 0.1 ? p.toFixed(2) : p.toPrecision(2);
}

/** A coefficient of variation (a fraction) as a percentage: 0.0342 → "3.42%". */
export function formatCov(c: number | null): string {
  if (c === null || !Number.isFinite(c)) return DASH;
  return `${formatNumber(c * 100)}%`;
}

/** A ratio of standard deviations: 1.234 → "×1.23". */
export function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return DASH;
  return `×${formatNumber(r)}`;
}

/** An RFC 3339 instant as "2024-05-01 12:00 UTC"; an unparsable string is shown as given. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An unsigned percentage with the same decimals as Δ%: 6.1 → "6.10%". */
export function formatPct(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  return withMinus(`${x.toFixed(pctDecimals(Math.abs(x)))}%`);
}

/** A count with its noun: (1, "run") → "1 run", (2, "run") → "2 runs". */
export function formatCount(n: number, noun: string): string {
  return `${formatNumber(n)} ${n === 1 ? noun : `${noun}s`}`;
}

/**
 * Rows as a plain-text table for a terminal: columns padded to their widest cell (counted in
 * code points), numbers right-aligned, two spaces between columns, a rule under the header.
 */
export function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const len = (s: string) => [...s].length;
  const widths = header.map((h, i) => Math.max(len(h), ...rows.map((r) => len(r[i] ?? ''))));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[−-]?[\d,.]+$|^—$/.test(r[i] ?? '')));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat((widths[i] ?? 0) - len(s));
    return numeric[i] ? fill + s : s + fill;
  };
  const line = (cells: readonly string[]) => cells.map((c, i) => pad(c, i)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].map((l) => `${l}\n`).join('');
}
