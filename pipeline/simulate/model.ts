// Events and the constants of the simulated cluster: one format-independent event type,
// the genesis and node constants, and the per-(node, slot) forge-loop timing plan.
import { E } from './messages.js';
import { Rng, STREAM_SLOT } from './rng.js';
import type { TracingFormat } from './options.js';

/** One log event, format-independent. Field meaning depends on the code. */
export interface Ev {
  /** Microseconds since the Unix epoch. */
  t: number;
  c: E;
  slot: number;
  no: number;
  hash: string;
  prev: string;
  size: number;
  /** The other node of a peer interaction, or −1. */
  peer: number;
  /**
   * Code-specific number: fetch delay (µs), snapshot duration (µs), tx increment, 1 for a
   * non-blocking ChainSync read, the chain length delta of an adoption (set when formatted), …
   */
  val: number;
}

/** The pool key hash of node n (Blake2b-224 sized), as a chain selection view names it. */
export function issuerHash(n: number): string {
  return (0x51ed0000 + n).toString(16).padStart(8, '0').repeat(7);
}

/** A chain point as `renderPoint` writes it: `<hash>@<slot>`, or `genesis`. */
export function point(hash: string, slot: number, no: number): string {
  return no === 0 ? 'genesis' : `${hash}@${slot}`;
}

export function ev(t: number, c: E, slot = 0, no = 0, hash = '', prev = '', size = 0, peer = -1, val = 0): Ev {
  return { t: Math.round(t), c, slot, no, hash, prev, size, peer, val };
}

export const US = 1_000_000;
export const GENESIS_HASH = 'f'.repeat(8) + '0'.repeat(56);
export const ACTIVE_SLOTS = 0.08;
export const EPOCH_LENGTH = 100;
export const MAX_BODY = 65536;
export const TPS = 15;
export const NODE_VERSION = '10.1.4';
export const NODE_COMMIT = '3f6b2a9c1d0e4b7a8c5d2e1f0a9b8c7d6e5f4a3b';

export interface Params {
  seed: number;
  nodes: number;
  slots: number;
  t0: number;
  tracing: TracingFormat;
  rts: string;
}

/** Per-(node, slot) forge-loop timing, random-access so both phases agree without sharing state. */
export interface SlotPlan {
  missed: boolean;
  start: number;
  ctx: number;
  lstate: number;
  lview: number;
  lead: number;
  rng: Rng;
}

export function slotPlan(seed: number, n: number, s: number, t0: number): SlotPlan {
  const rng = new Rng(seed, STREAM_SLOT, n, s);
  const missed = rng.float() < 0.002;
  // Slot start lag: a few ms, log-normal, with rare scheduler hiccups.
  let lag = rng.logn(2500, 0.45);
  if (rng.float() < 0.01) lag += 20000 + rng.float() * 60000;
  const start = t0 + s * US + lag;
  const ctx = start + rng.logn(150, 0.4);
  const lstate = ctx + rng.logn(120, 0.4);
  const lview = lstate + rng.logn(90, 0.4);
  const lead = lview + rng.logn(700, 0.5);
  return { missed, start, ctx, lstate, lview, lead, rng };
}
