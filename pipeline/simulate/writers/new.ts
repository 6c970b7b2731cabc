// New tracing (trace-dispatcher) lines: `{"at","ns","data","sev","thread","host"}`, a dotted
// string `ns`, nine fractional digits in `at`, peers as one `connectionId` string.
import { E, MESSAGES } from '../messages.js';
import type { Ev } from '../model.js';
import { type Clock, type NodeIdent, announceFields, ip, micros, thread } from './common.js';

/** `T`, nine fractional digits. */
function atNew(clock: Clock, t: number): string {
  return `${clock.base(t)}.${micros(t)}000Z`;
}

/** A client's ephemeral port towards server u is 40000 + u. */
export function newPeer(n: number, m: number, side: 'client' | 'server'): string {
  return side === 'client'
    ? `,"peer":{"connectionId":"${ip(n)}:${40000 + m} ${ip(m)}:3001"}`
    : `,"peer":{"connectionId":"${ip(n)}:3001 ${ip(m)}:${40000 + n}"}`;
}

/** `ns` as a dotted string, or as an array of its parts (cardano-tracer 10.2.1). */
const nsCache = new Map<string, string>();
function nsOf(ns: string, array: boolean): string {
  if (!array) return `"${ns}"`;
  let a = nsCache.get(ns);
  if (a === undefined) nsCache.set(ns, (a = JSON.stringify(ns.split('.'))));
  return a;
}

export function newLine(clock: Clock, id: NodeIdent, e: Ev, rest: string): string {
  const m = MESSAGES[e.c]!;
  const thr = thread(e.c, e.peer);
  let tail = rest;
  if (e.c === E.ANNOUNCE) tail = `${announceFields(e)},"risingEdge":true`;
  else if (e.c === E.ANNOUNCE_FALL) tail = announceFields(e);
  else if (e.c === E.FORGE_STATE) tail = `,"credentials":"Cardano"${rest}`;
  // A server update names no peer (the real lines have none).
  if (e.peer >= 0 && e.c !== E.ANNOUNCE && e.c !== E.ANNOUNCE_FALL) tail += e.c === E.SENT ? id.serverPeer[e.peer]! : id.clientPeer[e.peer]!;
  return `{"at":"${atNew(clock, e.t)}","ns":${nsOf(m.newNs, id.shape.arrayNs === true)},"data":{"kind":"${m.newKind}"${tail}},"sev":"${m.sev}","thread":"${thr}","host":"${id.host}"}\n`;
}
