// One line of a node's log in the chosen format: the node's identity (host, peers) is built
// once per node, then every event goes through its format's writer.
import type { Ev } from '../model.js';
import { NODE_COMMIT, NODE_VERSION } from '../model.js';
import type { LogShape, TracingFormat } from '../options.js';
import type { Clock, NodeIdent } from './common.js';
import { legacyLine, legacyPeer } from './legacy.js';
import { newLine, newPeer } from './new.js';

export { Clock, ip } from './common.js';
export type { NodeIdent } from './common.js';

export function nodeIdent(n: number, N: number, fmt: TracingFormat, shape: LogShape = {}): NodeIdent {
  const peer = fmt === 'new' ? newPeer : legacyPeer;
  const clientPeer: string[] = [];
  const serverPeer: string[] = [];
  for (let m = 0; m < N; m++) {
    clientPeer.push(peer(n, m, 'client'));
    serverPeer.push(peer(n, m, 'server'));
  }
  return {
    shape,
    host: `ip-10-0-0-${n + 10}.eu-central-1.compute.internal`,
    pid: String(80 + n * 7),
    env: `${NODE_VERSION}:${NODE_COMMIT.slice(0, 5)}`,
    clientPeer,
    serverPeer,
  };
}

export function formatLine(fmt: TracingFormat, clock: Clock, id: NodeIdent, e: Ev, rest: string): string {
  return fmt === 'new' ? newLine(clock, id, e, rest) : legacyLine(clock, id, e, rest);
}
