// What both log formats share: the per-second timestamp cache, node addresses and identity,
// and thread ids. Each format's own envelope lives in new.ts / legacy.ts.
import { E, MESSAGES } from '../messages.js';
import type { Ev } from '../model.js';
import { US } from '../model.js';
import type { LogShape } from '../options.js';

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

export class Clock {
  private sec = -1;
  private prefix = '';
  /** `YYYY-MM-DDTHH:MM:SS` of the second, cached since lines come in time order. */
  base(t: number): string {
    const sec = Math.floor(t / US);
    if (sec !== this.sec) {
      this.sec = sec;
      const d = new Date(sec * 1000);
      this.prefix =
        `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
        `T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    }
    return this.prefix;
  }
}

export function micros(t: number): string {
  return String(t - Math.floor(t / US) * US).padStart(6, '0');
}

export interface NodeIdent {
  shape: LogShape;
  host: string;
  pid: string;
  env: string;
  /** Per-format peer objects: client side (we fetch from peer) and server side (peer fetches from us). */
  clientPeer: string[];
  serverPeer: string[];
}

export function ip(n: number): string {
  return `10.0.0.${n + 10}`;
}

export function thread(c: E, peer: number): string {
  const m = MESSAGES[c]!;
  // Per-peer protocol threads get distinct ids, as mini-protocol threads do.
  return peer >= 0 && m.thread.length === 1 ? String(Number(m.thread) * 100 + peer) : m.thread;
}

/** `"tip"` of a ChainSync server update: the server's tip, the block it just adopted. */
export function announceFields(e: Ev): string {
  return (
    `,"addBlock":"${e.hash}@${e.slot}","blockingRead":${e.val !== 1}` +
    `,"tip":{"block":"${e.hash}","blockNo":${e.no},"slot":${e.slot}}`
  );
}
