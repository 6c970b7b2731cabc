// sniff: refuse a run whose logs gave not one log object, saying what the lines look like.
// Such a run would otherwise load as an empty run and report nothing with exit 0 (the
// legacy text format, journald or docker prefixes before the `{`). Called by ingest once
// the load has counted the parsed lines, so a readable run costs nothing here; only a run
// about to be refused has its files read again (queries/10_sniff_lines.sql).
import { listValue } from '@duckdb/node-api';
import { relative } from 'node:path';
import type { Warehouse } from './db.js';
import { CliError } from '../core/index.js';
import type { RunInfo } from '../core/index.js';

interface FileShape {
  path: string;
  lines: number;
  legacy_text: number;
  /** Legacy text lines behind a prefix (journald). */
  legacy_prefixed: number;
  /** New tracing's HumanFormat text lines. */
  human: number;
  prefixed: number;
  json: number;
  legacy_text_line: string | null;
  human_line: string | null;
  prefixed_line: string | null;
  json_line: string | null;
  any_line: string | null;
}

/** Throws the refusal (CliError, exit 2) for a run none of whose lines was a log object. */
export async function refuseRunWithoutLogObjects(db: Warehouse, run: RunInfo): Promise<never> {
  const paths = run.nodes.flatMap((n) => n.files);
  const rows = paths.length > 0 ? await db.queryFile<FileShape>('10_sniff_lines.sql', { files: listValue(paths) }) : [];
  // In node order, so the sentence names the same log every time.
  const shapes = rows.sort((a, b) => paths.indexOf(a.path) - paths.indexOf(b.path));
  throw new CliError(refusal(run.path, paths, shapes));
}

/** The refusal sentence: which logs, how many lines, what they look like, what to do. */
export function refusal(runPath: string, paths: string[], shapes: FileShape[]): string {
  const lines = shapes.reduce((s, f) => s + f.lines, 0);
  const first = shapes.find((f) => f.lines > 0);
  const name = (p: string): string => relative(runPath, p) || p;
  const others = shapes.filter((f) => f.lines > 0).length - 1;
  if (!first || lines === 0) {
    const logs = paths.length === 1 ? 'node log holds' : `${paths.length} node logs hold`;
    return `${runPath}: its ${logs} nothing but blank lines, so there is nothing to report; check that the nodes ran and wrote their logs to stdout.`;
  }
  const where = `${name(first.path)}${others > 0 ? ` and ${others} other log${others > 1 ? 's' : ''}` : ''}`;
  const holds = `${where} ${others > 0 ? 'hold' : 'holds'} ${lines} line${lines === 1 ? '' : 's'} and none is a JSON log object`;
  const sum = (k: 'legacy_text' | 'legacy_prefixed' | 'human' | 'prefixed' | 'json'): number => shapes.reduce((s, f) => s + (f[k] ?? 0), 0);
  const example = (k: 'legacy_text_line' | 'human_line' | 'prefixed_line' | 'json_line' | 'any_line'): string => {
    const line = shapes.find((f) => f[k] !== null)?.[k] ?? '';
    return `\`${line.length > 80 ? `${line.slice(0, 80)}…` : line}\``;
  };
  // Legacy text behind journald's prefix: stripping the prefix leaves text, not JSON.
  if (sum('legacy_prefixed') > 0 && sum('legacy_prefixed') >= sum('legacy_text') / 2) {
    return `${runPath}: ${holds}; they look like the legacy text log format (iohk-monitoring ScText) behind a journald prefix (${example('legacy_text_line')}): stripping the prefix would leave text, not JSON; configure the node to write JSON (iohk-monitoring: scFormat ScJson; new tracing: a MachineFormat backend) and run it again.`;
  }
  if (sum('human') > 0 && sum('human') >= sum('legacy_text')) {
    return `${runPath}: ${holds}; they look like new tracing's human-readable text format (HumanFormat: ${example('human_line')}); configure the node to write JSON — a MachineFormat backend in TraceOptions (e.g. \`backends: ["Stdout MachineFormat"]\`) — and run it again.`;
  }
  if (sum('legacy_text') > 0) {
    return `${runPath}: ${holds}; they look like the legacy text log format (${example('legacy_text_line')}); configure the node to write JSON (iohk-monitoring: scFormat ScJson; new tracing: a MachineFormat backend) and run it again.`;
  }
  if (sum('prefixed') > 0) {
    return `${runPath}: ${holds}; they carry a prefix before the JSON object (${example('prefixed_line')}), as journald or \`docker logs --timestamps\` write; strip it (\`journalctl -o cat\`, or \`sed 's/^[^{]*{/{/'\`) into node-N/stdout and ingest again.`;
  }
  if (sum('json') > 0) {
    return `${runPath}: ${holds}; they are JSON objects without the trace envelope \`at\`, \`ns\`, \`data\` (${example('json_line')}), perhaps wrapped by a log collector; unwrap them into node-N/stdout and ingest again.`;
  }
  return `${runPath}: ${holds} (${example('any_line')}); node logs must be JSON lines as cardano-node writes them.`;
}
