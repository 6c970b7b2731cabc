// Set labels from what differs between the sets: node version, then commit, then tracing, then
// RTS flags; sets that differ only in tracing or RTS keep the names of what their runs share.
import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../pipeline/core/index.js';
import { differingLabels } from '../pipeline/jobs/index.js';

function run(over: Partial<RunInfo>): RunInfo {
  return { tag: 't', nodeVersion: '10.1.4', nodeCommit: 'aaaaaaa1111', tracingBackend: 'trace-dispatcher', rtsOverride: ['-A64m'], ...over } as RunInfo;
}

describe('differingLabels', () => {
  it('names a release candidate against the previous release by node version and commit, not by the RTS flags both share', () => {
    const release = [run({}), run({})];
    const rc = [run({ nodeVersion: '10.2.0', nodeCommit: 'bbbbbbb2222' }), run({ nodeVersion: '10.2.0', nodeCommit: 'bbbbbbb2222' })];
    expect(differingLabels([release, rc])).toEqual(['node 10.1.4 · commit aaaaaaa', 'node 10.2.0 · commit bbbbbbb']);
  });

  it('puts the commit before tracing and RTS when the version is the same', () => {
    const a = [run({ tracingBackend: 'iohk-monitoring', rtsOverride: [] })];
    const b = [run({ nodeCommit: 'ccccccc3333' })];
    expect(differingLabels([a, b])).toEqual(['commit aaaaaaa · legacy tracing · default RTS', 'commit ccccccc · new tracing · -A64m']);
  });

  it('keeps the names of what the runs share when only RTS flags or tracing differ', () => {
    const base = [run({ rtsOverride: [] })];
    expect(differingLabels([base, [run({})], [run({ rtsOverride: ['-N4'] })]])).toEqual(['new tracing', 'new tracing -A64m', 'new tracing -N4']);
    expect(differingLabels([[run({ tracingBackend: 'iohk-monitoring', rtsOverride: [] })], base])).toEqual(['legacy tracing', 'new tracing']);
  });

  it('says when a set mixes versions instead of naming one', () => {
    const mixed = [run({}), run({ nodeVersion: '10.2.0' })];
    expect(differingLabels([[run({})], mixed])).toEqual(['node 10.1.4', 'node version mixed']);
  });
});
