// Legacy tracing (iohk-monitoring) lines: alphabetical envelope keys, `ns` a one-element
// array of the logger name, `at` with a space and trimmed microseconds, peers as
// local/remote address objects.
import { E, MESSAGES } from '../messages.js';
import type { Ev } from '../model.js';
import { type Clock, type NodeIdent, ip, micros, thread } from './common.js';

/** A space, microseconds with trailing zeros trimmed (no dot when whole). */
function atLegacy(clock: Clock, t: number): string {
  const b = clock.base(t);
  let f = micros(t);
  let e = f.length;
  while (e > 0 && f.charCodeAt(e - 1) === 48) e--;
  f = f.slice(0, e);
  return `${b.slice(0, 10)} ${b.slice(11)}${f ? '.' + f : ''}Z`;
}

/** A client's ephemeral port towards server u is 40000 + u. */
export function legacyPeer(n: number, m: number, side: 'client' | 'server'): string {
  return side === 'client'
    ? `,"peer":{"local":{"addr":"${ip(n)}","port":"${40000 + m}"},"remote":{"addr":"${ip(m)}","port":"3001"}}`
    : `,"peer":{"local":{"addr":"${ip(n)}","port":"3001"},"remote":{"addr":"${ip(m)}","port":"${40000 + n}"}}`;
}

export function legacyLine(clock: Clock, id: NodeIdent, e: Ev, rest: string): string {
  const m = MESSAGES[e.c]!;
  const thr = thread(e.c, e.peer);
  let tail = rest;
  if (e.c === E.ANNOUNCE || e.c === E.ANNOUNCE_FALL) {
    tail = `,"block":"${e.hash}","blockNo":${e.no},"slot":${e.slot}`;
  } else if (e.peer >= 0) {
    tail += e.c === E.SENT ? id.serverPeer[e.peer]! : id.clientPeer[e.peer]!;
  }
  return `{"app":[],"at":"${atLegacy(clock, e.t)}","data":{"kind":"${m.legacyKind}"${tail}},"env":"${id.env}","host":"${id.host}","loc":null,"msg":"","ns":["${m.legacyNs}"],"pid":"${id.pid}","sev":"${m.sev}","thread":"${thr}"}\n`;
}
