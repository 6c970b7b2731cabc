// Legacy tracing (iohk-monitoring) lines: alphabetical envelope keys, `ns` a one-element
// array of the logger name, `at` with a space and trimmed microseconds, peers as
// local/remote address objects.
import { E, LEGACY_CREDS_WRAPPED, MESSAGES } from '../messages.js';
import type { Ev } from '../model.js';
import { type Clock, type NodeIdent, announceFields, ip, micros, thread } from './common.js';

/**
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ`, trailing zeros trimmed (no dot when whole). Real
 * iohk-monitoring lines carry centiseconds (shape `centiseconds`); by default the
 * simulator keeps microseconds so that both formats hold the same events to the µs.
 */
function atLegacy(clock: Clock, t: number, centi: boolean): string {
  const b = clock.base(t);
  if (centi) return `${b}.${micros(t).slice(0, 2)}Z`;
  let f = micros(t);
  let e = f.length;
  while (e > 0 && f.charCodeAt(e - 1) === 48) e--;
  f = f.slice(0, e);
  return `${b}${f ? '.' + f : ''}Z`;
}

/** A client's ephemeral port towards server u is 40000 + u. */
export function legacyPeer(n: number, m: number, side: 'client' | 'server'): string {
  return side === 'client'
    ? `,"peer":{"local":{"addr":"${ip(n)}","port":"${40000 + m}"},"remote":{"addr":"${ip(m)}","port":"3001"}}`
    : `,"peer":{"local":{"addr":"${ip(n)}","port":"3001"},"remote":{"addr":"${ip(m)}","port":"${40000 + n}"}}`;
}

/** Nodes before 1.35: a blocking read, a non-blocking read; no falling edges. */
const READ_BLOCKED = 'ChainSyncServerEvent.TraceChainSyncServerReadBlocked.AddBlock';
const READ = 'ChainSyncServerEvent.TraceChainSyncServerRead.AddBlock';

/** The `data` object: `{"kind": …, fields}`, or wrapped with the credentials label. */
function dataOf(id: NodeIdent, e: Ev, rest: string): string {
  const m = MESSAGES[e.c]!;
  let kind = m.legacyKind;
  let tail = rest;
  switch (e.c) {
    case E.ANNOUNCE:
    case E.ANNOUNCE_FALL:
      if (id.shape.readBlocked) {
        if (e.c === E.ANNOUNCE_FALL) return '';
        kind = e.val === 1 ? READ : READ_BLOCKED;
        tail = `,"block":"${e.hash}","blockNo":${e.no},"slot":${e.slot}`;
      } else tail = announceFields(e) + (e.c === E.ANNOUNCE ? ',"risingEdge":true' : '');
      break;
    case E.ADOPTED:
      tail = `,"chainLengthDelta":${e.val}${rest}`;
      break;
    case E.SWITCHED:
      tail = `,"chainLengthDelta":${e.val},"realFork":true${rest}`;
      break;
    case E.LOOP:
      tail = `,"credentials":"Cardano"${rest}`;
      break;
    case E.HEADER:
      if (id.shape.unBlockNo) tail = `,"block":"${e.hash}","blockNo":{"unBlockNo":${e.no}},"slot":${e.slot}`;
      break;
  }
  // A server update names no peer (the real lines have none).
  if (e.peer >= 0 && e.c !== E.ANNOUNCE && e.c !== E.ANNOUNCE_FALL) tail += e.c === E.SENT ? id.serverPeer[e.peer]! : id.clientPeer[e.peer]!;
  const inner = `{"kind":"${kind}"${tail}}`;
  return LEGACY_CREDS_WRAPPED.has(e.c) ? `{"credentials":"Cardano","val":${inner}}` : inner;
}

export function legacyLine(clock: Clock, id: NodeIdent, e: Ev, rest: string): string {
  const data = dataOf(id, e, rest);
  if (data === '') return '';
  const m = MESSAGES[e.c]!;
  return `{"app":[],"at":"${atLegacy(clock, e.t, id.shape.centiseconds === true)}","data":${data},"env":"${id.env}","host":"${id.host}","loc":null,"msg":"","ns":["${m.legacyNs}"],"pid":"${id.pid}","sev":"${m.legacySev}","thread":"${thread(e.c, e.peer)}"}\n`;
}
