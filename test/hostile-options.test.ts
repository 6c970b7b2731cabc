// Every option of every command validated as `report`'s are (issue 23, item 7): `history` and
// `simulate` took --alpha 5, --noise -1, --significance 7, and hung or crashed on
// --permutations 1e12, --slots 1e15, --nodes 1e9, --runs 1e9; `simulate --tag-prefix
// ../escape` wrote outside --out. Each is exit 2, one sentence naming the option, nothing
// written. And report.junit.xml stays well-formed XML 1.0 whatever --title holds.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { scratchDir } from './helpers/scratch.js';

const SAMPLES = join(import.meta.dirname, '..', 'samples');
const B = join(SAMPLES, 'legacy', 'sim-legacy-s1001');
const C = join(SAMPLES, 'new', 'sim-new-s2001');
const tmp = scratchDir('bench-report-hostile-opt-');

/** Exit 2 with one line naming the option; `out` holds nothing afterwards. */
async function refused(args: string[], want: string, out: string): Promise<void> {
  const r = await runCli(...args);
  expect(r.code, r.err).toBe(2);
  const lines = r.err.trim().split('\n').filter((l) => !l.startsWith('(run with --help'));
  expect(lines).toEqual([want]);
  expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
}

describe('history options', () => {
  const cases: [string[], string][] = [
    [['--alpha', '5'], 'error: option \'--alpha <q>\' argument \'5\' is invalid. --alpha must be between 0 and 1 (exclusive), got 5.'],
    [['--alpha', '-0.5'], 'error: option \'--alpha <q>\' argument \'-0.5\' is invalid. --alpha must be between 0 and 1 (exclusive), got -0.5.'],
    [['--noise', '-1'], 'error: option \'--noise <pct>\' argument \'-1\' is invalid. --noise must be at least 0, got -1.'],
    [['--significance', '7'], 'error: option \'--significance <p>\' argument \'7\' is invalid. --significance must be between 0 and 1 (exclusive), got 7.'],
    [['--permutations', '1e12'], 'error: option \'--permutations <n>\' argument \'1e12\' is invalid. --permutations must be a whole number from 1 to 100000, got "1e12".'],
    [['--seed', '1e300'], 'error: option \'--seed <x>\' argument \'1e300\' is invalid. --seed must be a whole number from 1 to 9007199254740991, got "1e300".'],
  ];
  for (const [args, want] of cases) {
    it(`history ${args.join(' ')} is refused`, async () => {
      const out = join(tmp.dir, `h-${args[0]}-${args[1]}`);
      await refused(['history', '--db', join(tmp.dir, 'none.duckdb'), '--out', out, ...args], want, out);
    });
  }
});

describe('simulate options', () => {
  const cases: [string[], string][] = [
    [['--slots', '1e15'], 'error: option \'--slots <n>\' argument \'1e15\' is invalid. --slots must be a whole number from 1 to 1000000, got "1e15".'],
    [['--nodes', '1e9'], 'error: option \'--nodes <n>\' argument \'1e9\' is invalid. --nodes must be a whole number from 1 to 1000, got "1e9".'],
    [['--runs', '1e9'], 'error: option \'--runs <k>\' argument \'1e9\' is invalid. --runs must be a whole number from 1 to 1000, got "1e9".'],
    [['--tag-prefix', '../escape'], 'bench-report: simulate: --tag-prefix "../escape" must be letters, digits, ".", "_" or "-" (at most 100, not starting with "."), as it names the run folders inside --out.'],
    [['--tag-prefix', 'a/b'], 'bench-report: simulate: --tag-prefix "a/b" must be letters, digits, ".", "_" or "-" (at most 100, not starting with "."), as it names the run folders inside --out.'],
  ];
  for (const [args, want] of cases) {
    it(`simulate ${args.join(' ')} is refused, nothing written`, async () => {
      const box = join(tmp.dir, `s-${args[0]}-${args[1]?.replace(/\W/g, '_')}`);
      const out = join(box, 'out');
      await refused(['simulate', '--out', out, '--slots', '20', '--nodes', '2', ...args], want, box);
    });
  }
});

describe('report.junit.xml whatever --title holds', () => {
  /** Characters XML 1.0 allows (Char production), and no `]]>` outside a CDATA section. */
  const XML10 = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
  it('drops control characters, U+FFFE/U+FFFF and lone surrogates, escapes ]]>', async () => {
    const title = 'a\u0001b\u0008c\u000bd\u001fe\uFFFEf\uFFFFg\uD800h]]>i<j&k\u0085l';
    const out = join(tmp.dir, 'junit');
    const r = await runCli('report', '-b', B, '-c', C, '--out', out, '--db', join(tmp.dir, 'junit.duckdb'), '--format', 'junit', '--title', title);
    expect(r.code, r.err).toBe(0);
    const xml = await readFile(join(out, 'report.junit.xml'), 'utf8');
    expect(XML10.test(xml)).toBe(true);
    expect(xml).not.toContain(']]>');
    expect(xml).toContain('<testsuite name="abcdefgh]]&gt;i&lt;j&amp;k\u0085l"');
  });
});
