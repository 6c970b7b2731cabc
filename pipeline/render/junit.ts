// JUnit XML for CI (`--format junit` → report.junit.xml / history.junit.xml): one test case per
// gated metric; a failure for each metric that failed the gate, `skipped` for each the gate
// could not decide (CI shows those as "not run", never as passed). Without a gates file the
// report is judged as by --fail-on-regression (every metric at its noise threshold).
import type { GateResult } from '../core/index.js';

export interface JunitCase {
  /** Test class: the report's section or the history series. */
  classname: string;
  metric: string;
  series?: string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export function xmlEscape(s: string): string {
  // XML 1.0 allows no control character but tab and newlines, nor U+FFFE, U+FFFF or a lone
  // surrogate: dropped (`]]>` cannot occur: `>` is escaped).
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>"']/g, (c) => ESC[c] ?? c).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]|\p{Cs}/gu, '');
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`);

export function junitXml(suite: string, cases: readonly JunitCase[], gate: GateResult, timestamp: string): string {
  const key = (x: { metric: string; series?: string }) => `${x.series ?? ''}\u0000${x.metric}`;
  const failed = new Map(gate.failed.map((f) => [key(f), f]));
  const undecided = new Map(gate.undecided.map((u) => [key(u), u]));
  const waived = new Map(gate.waived.map((w) => [key(w), w]));
  const all = gate.undecided.find((u) => u.metric === '*');
  let failures = 0;
  let skipped = 0;
  const body = cases.map((c) => {
    const open = `    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.metric)}">`;
    const f = failed.get(key(c));
    if (f) {
      failures++;
      const msg = `${c.metric} regressed ${pct(f.delta_pct)}, beyond its budget of ${f.budget_pct}%`;
      return `${open}\n      <failure type="regression" message="${xmlEscape(msg)}">${xmlEscape(msg)}</failure>\n    </testcase>`;
    }
    const u = undecided.get(key(c)) ?? all;
    if (u) {
      skipped++;
      return `${open}\n      <skipped message="${xmlEscape(`undecided: ${u.reason}`)}"/>\n    </testcase>`;
    }
    const w = waived.get(key(c));
    if (w) return `${open}\n      <system-out>${xmlEscape(`waived: ${pct(w.delta_pct)}, ${w.reason}`)}</system-out>\n    </testcase>`;
    return `${open}</testcase>`;
  });
  const counts = `tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    // <testsuites> takes no skipped count in the Jenkins xunit schema (junit-10.xsd); the suite has it.
    `<testsuites name="bench-report" tests="${cases.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="${xmlEscape(suite)}" ${counts} timestamp="${xmlEscape(timestamp)}">`,
    ...body,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
