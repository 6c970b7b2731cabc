// Phase 2: one node's log, in time order: startup, the forge loop every slot, resources,
// mempool, snapshots and unrelated messages, merged with the node's block events from phase 1.
import type { ChainResult } from './chain.js';
import { restOf } from './fields.js';
import { E, VERBOSE_FORGE } from './messages.js';
import { NODE_COMMIT, NODE_VERSION, US, ev, slotPlan, type Ev, type Params } from './model.js';
import { NodeState, type ResConfig } from './node-state.js';
import type { LogShape, TracingFormat } from './options.js';
import { Rng, STREAM_NODE, STREAM_RES } from './rng.js';
import { Clock, formatLine, ip, nodeIdent } from './writers/index.js';

const CHUNK = 1 << 20;
const SNAPSHOT_PERIOD = 100;

export interface RunCtx {
  shape: LogShape;
  p: Params;
  chain: ChainResult;
  cfg: ResConfig;
  systemStart: string;
}

/** Lines of one node's log, in ~1 MB chunks, in time order. */
export function* nodeChunks(ctx: RunCtx, n: number, fmt: TracingFormat): Generator<string> {
  const { p, chain } = ctx;
  const { seed, slots: S, t0 } = p;
  const N = p.nodes;
  const adj = chain.topo.adj[n]!;
  const rng = new Rng(seed, STREAM_NODE, n);
  const resRng = new Rng(seed, STREAM_RES, n);
  const cfg: ResConfig = { ...ctx.cfg, node: n };
  const id = nodeIdent(n, N, fmt, ctx.shape);
  const clock = new Clock();
  const st = new NodeState();
  const blockEvs = chain.perNode[n]!;
  let bi = 0;
  let carry: Ev[] = [];
  const out: string[] = [];
  let size = 0;

  const quiet = ctx.shape.quietForge === true;
  const emit = (win: Ev[]): void => {
    for (const e of win) {
      if (quiet && VERBOSE_FORGE.has(e.c)) continue;
      const line = formatLine(fmt, clock, id, e, restOf(st, e, resRng, cfg, adj));
      out.push(line);
      size += line.length;
    }
  };

  // Non-JSON preamble, as real node stdout has.
  const pre =
    `Listening on http://127.0.0.1:12798\n` +
    `cardano-node ${NODE_VERSION} - linux-x86_64 - ghc-9.6\n` +
    `git rev ${NODE_COMMIT}\n`;
  out.push(pre);
  size += pre.length;
  const startup: Ev[] = [
    ev(t0 - 42 * US + rng.int(US), E.STARTUP_INFO),
    ev(t0 - 41 * US + rng.int(US), E.STARTUP_COMMON, 0, 0, ctx.systemStart),
    ev(t0 - 40 * US + rng.int(US), E.STARTUP_LISTEN, 0, 0, `${ip(n)}:3001`),
  ];
  emit(startup);

  const resOffset = 100_000 + rng.int(800_000);
  // Snapshot phases are spread evenly over the nodes, so the cluster's snapshot count (and
  // its CPU bursts) barely varies between runs of one length.
  let nextSnap = 20 + Math.floor((SNAPSHOT_PERIOD * (n + cfg.snapPhase)) / N);
  for (let s = 0; s < S; s++) {
    const tS = t0 + s * US;
    const tEnd = tS + US;
    const win: Ev[] = [];
    const plan = slotPlan(seed, n, s, t0);
    if (!plan.missed) {
      win.push(ev(plan.start, E.LOOP, s));
      // The KES state follows every loop start, within microseconds (as 10.x nodes log it).
      win.push(ev(plan.start + 200 + plan.rng.int(300), E.FORGE_STATE, s));
      win.push(ev(plan.ctx, E.CTX, s));
      win.push(ev(plan.lstate, E.LSTATE, s));
      win.push(ev(plan.lview, E.LVIEW, s));
      win.push(ev(plan.lead, chain.leader[n * S + s] ? E.LEADER : E.NOTLEADER, s));
    }
    // Resources at 1 Hz with sub-second jitter (±40 ms).
    win.push(ev(tS + resOffset + Math.max(-40_000, Math.min(40_000, rng.normal() * 15_000)), E.RES, s));
    // Mempool arrivals (a sample of the generator's traffic).
    while (rng.float() < 0.35) win.push(ev(tS + rng.int(US), E.ADDTX, s, 0, rng.hex(1), '', 0, -1, 1 + rng.int(3)));
    // Unrelated messages.
    while (rng.float() < 0.35) {
      const u = rng.int(3);
      const t = tS + rng.int(US);
      if (u === 0) win.push(ev(t, E.IG_COUNTERS, s, 0, '', '', 0, -1, rng.int(3)));
      else if (u === 1) {
        const m = adj.length > 0 ? adj[rng.int(adj.length)]! : n;
        win.push(ev(t, E.IG_PROMOTED, s, 0, `${ip(n)}:${40000 + m} ${ip(m)}:3001`));
      } else if (u === 2) win.push(ev(t, E.FETCH_DECISION, s));
      else win.push(ev(t, E.FORGE_STATE, s));
    }
    if (s === nextSnap) {
      // Ledger snapshot: rising edge now, falling edge 2–3.5 s later; CPU bursts meanwhile.
      const t = tS + rng.int(US / 2);
      const dur = Math.round(2_000_000 + rng.int(1_500_000));
      win.push(ev(t, E.SNAPSHOT, s, 0, '', '', dur, -1, 0));
      carry.push(ev(t + dur, E.SNAPSHOT, s, 0, '', '', 0, -1, dur));
      nextSnap += SNAPSHOT_PERIOD;
    }
    if (carry.length > 0) {
      const keep: Ev[] = [];
      for (const e of carry) (e.t < tEnd ? win : keep).push(e);
      carry = keep;
    }
    while (bi < blockEvs.length && blockEvs[bi]!.t < tEnd) win.push(blockEvs[bi++]!);
    win.sort((a, b) => a.t - b.t);
    emit(win);
    if (size >= CHUNK) {
      yield out.join('');
      out.length = 0;
      size = 0;
    }
  }
  const tail = carry.concat(blockEvs.slice(bi));
  tail.sort((a, b) => a.t - b.t);
  emit(tail);
  if (out.length > 0) yield out.join('');
}
