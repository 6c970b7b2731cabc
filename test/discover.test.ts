// discover on hostile or broken input (issue 8, items 7, 9 and 16): nonsense genesis and
// meta.json, stray or looping paths, log names DuckDB would read as patterns. Each is one
// CliError (exit 2) naming the file and what is wrong, before anything is ingested; in a folder
// of runs a bad run is skipped with a warning naming it, unless the caller is strict.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverRuns } from '../pipeline/discover/index.js';
import { CliError } from '../pipeline/core/index.js';
import type { Warning } from '../pipeline/core/index.js';

const GENESIS = { systemStart: '2026-01-01T00:00:00Z', slotLength: 1, epochLength: 10, activeSlotsCoeff: 0.1, securityParam: 5, protocolParams: { maxBlockBodySize: 1000 } };

let tmp: string;
let n = 0;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-discover-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A minimal run: meta.json, genesis, node-0/stdout with one line; `over` changes any of them. */
async function makeRun(
  over: { meta?: string; genesis?: Record<string, unknown>; parent?: string; name?: string } = {},
): Promise<string> {
  const dir = join(over.parent ?? tmp, over.name ?? `run-${++n}`);
  await mkdir(join(dir, 'node-0'), { recursive: true });
  await mkdir(join(dir, 'genesis'), { recursive: true });
  await writeFile(join(dir, 'meta.json'), over.meta ?? '{"meta":{"tag":"t"}}');
  await writeFile(join(dir, 'genesis', 'genesis.shelley.json'), JSON.stringify({ ...GENESIS, ...over.genesis }));
  await writeFile(join(dir, 'node-0', 'stdout'), '{"at":"2026-01-01T00:00:01Z"}\n');
  return dir;
}

async function refusal(p: Promise<unknown>): Promise<CliError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  expect((err as CliError).exitCode).toBe(2);
  expect((err as CliError).message.split('\n')).toHaveLength(1);
  return err as CliError;
}

describe('nonsense genesis (item 7)', () => {
  const bad: [field: string, value: unknown][] = [
    ['slotLength', 0],
    ['slotLength', -1],
    ['slotLength', 0.0001],
    ['slotLength', 1e308],
    ['slotLength', '1'],
    ['epochLength', 1e20],
    ['epochLength', 0],
    ['epochLength', -10],
    ['epochLength', 10.5],
    ['systemStart', '1'],
    ['systemStart', '2026-13-45T00:00:00Z'],
    ['systemStart', '2999-01-01T00:00:00Z'],
  ];
  for (const [field, value] of bad) {
    it(`refuses ${field} = ${JSON.stringify(value)}, naming the file and the field`, async () => {
      const dir = await makeRun({ genesis: { [field]: value } });
      const err = await refusal(discoverRuns([dir]));
      expect(err.message).toContain(join(dir, 'genesis', 'genesis.shelley.json'));
      expect(err.message).toContain(field);
    });
  }

  it('accepts a short real slot length and reads it exactly', async () => {
    const [run] = await discoverRuns([await makeRun({ genesis: { slotLength: 0.2, systemStart: '2022-12-07T13:48:18Z' } })]);
    expect(run?.genesis.slotLength).toBe(0.2);
    expect(run?.genesis.systemStart).toBe('2022-12-07T13:48:18.000Z');
  });

  it('reports optional fields out of range as unknown (null), not as garbage', async () => {
    const dir = await makeRun({ genesis: { activeSlotsCoeff: 5, securityParam: -3, protocolParams: { maxBlockBodySize: 1e308 } } });
    const [run] = await discoverRuns([dir]);
    expect(run?.genesis).toMatchObject({ activeSlotsCoeff: null, securityParam: null, maxBlockBodySize: null });
  });
});

describe('nonsense meta.json (item 7)', () => {
  for (const meta of ['null', '[]', '[{"meta":{}}]', '"run"', '{"meta":null}', '{"meta":[1]}']) {
    it(`refuses meta.json ${meta}`, async () => {
      const dir = await makeRun({ meta });
      const err = await refusal(discoverRuns([dir]));
      expect(err.message).toContain(join(dir, 'meta.json'));
      expect(err.message).toContain('object');
    });
  }

  it('refuses a string where the RTS override list belongs, naming the field', async () => {
    const dir = await makeRun({ meta: '{"meta":{"profile_content":{"node":{"rts_flags_override":"-A64m"}}}}' });
    const err = await refusal(discoverRuns([dir]));
    expect(err.message).toContain(join(dir, 'meta.json'));
    expect(err.message).toContain('rts_flags_override');
  });

  it('refuses a list of RTS flags with a non-string in it', async () => {
    const dir = await makeRun({ meta: '{"meta":{"profile_content":{"node":{"rts_flags_override":["-A64m", 4]}}}}' });
    expect((await refusal(discoverRuns([dir]))).message).toContain('rts_flags_override');
  });

  it('still reads a well-formed override', async () => {
    const dir = await makeRun({ meta: '{"meta":{"profile_content":{"node":{"rts_flags_override":["-A64m"]}}}}' });
    const [run] = await discoverRuns([dir]);
    expect(run?.rtsOverride).toEqual(['-A64m']);
  });
});

describe('stray and broken paths (item 9)', () => {
  it('refuses a directory named like a log (node-0/stdout/)', async () => {
    const dir = await makeRun();
    await rm(join(dir, 'node-0', 'stdout'));
    await mkdir(join(dir, 'node-0', 'stdout'));
    const err = await refusal(discoverRuns([dir]));
    expect(err.message).toContain(join(dir, 'node-0', 'stdout'));
  });

  it('refuses a dangling log link, naming it', async () => {
    const dir = await makeRun();
    await symlink(join(tmp, 'gone-away'), join(dir, 'node-0', 'stdout.1'));
    const err = await refusal(discoverRuns([dir]));
    expect(err.message).toContain(join(dir, 'node-0', 'stdout.1'));
  });

  it('refuses a log link that loops, naming it', async () => {
    const dir = await makeRun();
    await symlink('stdout.2', join(dir, 'node-0', 'stdout.2'));
    const err = await refusal(discoverRuns([dir]));
    expect(err.message).toContain(join(dir, 'node-0', 'stdout.2'));
  });

  it('refuses a node directory link that loops, naming it', async () => {
    const dir = await makeRun();
    await symlink('node-1', join(dir, 'node-1'));
    const err = await refusal(discoverRuns([dir]));
    expect(err.message).toContain(join(dir, 'node-1'));
  });

  for (const name of ['stdout*', 'stdout?', 'stdout[1]']) {
    it(`refuses a log named ${name}, which DuckDB would read as a pattern`, async () => {
      const dir = await makeRun();
      await writeFile(join(dir, 'node-0', name), '{"at":"2026-01-01T00:00:02Z"}\n');
      const err = await refusal(discoverRuns([dir]));
      expect(err.message).toContain(join(dir, 'node-0', name));
    });
  }

  it('refuses a run whose path has a pattern character in a folder name', async () => {
    const parent = join(tmp, 'batch[2]');
    const dir = await makeRun({ parent });
    const err = await refusal(discoverRuns([dir]));
    expect(err.message).toContain('batch[2]');
  });
});

describe('unreadable paths (item 9)', () => {
  // Root reads everything, and CI runs as root: there the check runs in a child process as
  // `nobody`, on the built discover (npm test builds before it runs the suite).
  const DIST = join(import.meta.dirname, '..', 'dist', 'pipeline', 'discover', 'index.js');
  async function discoverAsNobody(dir: string): Promise<string> {
    if (process.getuid?.() !== 0) return discoverRuns([dir]).then(() => 'no error', (e: unknown) => `${(e as Error).name} ${(e as Error).message}`);
    expect(existsSync(DIST), 'run `npm run build` first (npm test does)').toBe(true);
    const script = `import { discoverRuns } from ${JSON.stringify(DIST)};
      try { await discoverRuns([${JSON.stringify(dir)}]); console.log('no error'); } catch (e) { console.log(e.name, e.message); }`;
    return execFileSync(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' }).trim();
  }
  let open = '';
  beforeAll(async () => {
    open = await mkdtemp(join(tmpdir(), 'bench-report-unreadable-'));
    await chmod(open, 0o755);
  });
  afterAll(async () => {
    await rm(open, { recursive: true, force: true });
  });

  for (const [what, target] of [['run directory', ''], ['node directory', 'node-0'], ['log file', join('node-0', 'stdout')], ['meta.json', 'meta.json']] as const) {
    it(`refuses an unreadable ${what}, naming it`, async () => {
      const dir = await makeRun({ parent: open });
      await chmod(join(dir, target), 0);
      const said = await discoverAsNobody(dir);
      await chmod(join(dir, target), 0o755);
      expect(said).toMatch(/^CliError /);
      expect(said).toContain(`${join(dir, target).replace(/\/$/, '')}`);
      expect(said).toContain('permission denied');
    });
  }
});

describe('a folder of runs with a bad one in it (item 16)', () => {
  async function folder(): Promise<{ root: string; good: string; bad: string }> {
    const root = join(tmp, `folder-${++n}`);
    const good = await makeRun({ parent: root, name: 'a-good' });
    const bad = await makeRun({ parent: root, name: 'b-bad', genesis: { slotLength: -1 } });
    await writeFile(join(root, 'README.md'), '# runs\n');
    return { root, good, bad };
  }

  it('skips the bad run with a run-skipped warning naming it and why', async () => {
    const { root, good, bad } = await folder();
    const warnings: Warning[] = [];
    const runs = await discoverRuns([root], { onSkip: (w) => warnings.push(w) });
    expect(runs.map((r) => r.path)).toEqual([good]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ run: bad, code: 'run-skipped' });
    expect(warnings[0]?.message).toContain('slotLength');
  });

  it('fails on the bad run when strict (no onSkip)', async () => {
    const { root } = await folder();
    const err = await refusal(discoverRuns([root]));
    expect(err.message).toContain('b-bad');
  });

  it('skips a plain file named among the paths (the shell glob samples/*), with a warning', async () => {
    const { root, good } = await folder();
    const warnings: Warning[] = [];
    const runs = await discoverRuns([join(root, 'README.md'), good], { onSkip: (w) => warnings.push(w) });
    expect(runs.map((r) => r.path)).toEqual([good]);
    expect(warnings.map((w) => [w.run, w.code])).toEqual([[join(root, 'README.md'), 'run-skipped']]);
  });

  it('skips a looping link in a folder of runs with a warning, not silently', async () => {
    const { root, good } = await folder();
    await rm(join(root, 'b-bad'), { recursive: true });
    await symlink('c-loop', join(root, 'c-loop'));
    const warnings: Warning[] = [];
    const runs = await discoverRuns([root], { onSkip: (w) => warnings.push(w) });
    expect(runs.map((r) => r.path)).toEqual([good]);
    expect(warnings.map((w) => w.run)).toEqual([join(root, 'c-loop')]);
  });

  it('still refuses when every run of the paths is bad, with the first reason', async () => {
    const root = join(tmp, `all-bad-${++n}`);
    await makeRun({ parent: root, name: 'x', genesis: { epochLength: 0 } });
    const err = await refusal(discoverRuns([root], { onSkip: () => undefined }));
    expect(err.message).toContain('epochLength');
  });
});
