// Phase 1: leaders, blocks, forks and propagation over a random topology, seed-only, so
// every configuration of one seed forges the same chain.
import { E } from './messages.js';
import { ACTIVE_SLOTS, GENESIS_HASH, MAX_BODY, TPS, US, ev, issuerHash, slotPlan, type Ev, type Params, type SlotPlan } from './model.js';
import { Rng, STREAM_CHAIN, STREAM_EDGE, STREAM_TOPO } from './rng.js';

interface Topology {
  adj: number[][];
  /** One-way latency, µs. */
  lat: number[][];
  /** Bytes per µs. */
  bw: number[][];
}

function buildTopology(seed: number, n: number): Topology {
  const rng = new Rng(seed, STREAM_TOPO);
  const adj: number[][] = Array.from({ length: n }, () => []);
  const link = (a: number, b: number): void => {
    adj[a]!.push(b);
    adj[b]!.push(a);
  };
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  // A random ring keeps the graph connected with degree 2; chords add up to degree 4.
  if (n === 2) link(perm[0]!, perm[1]!);
  else if (n >= 3) for (let i = 0; i < n; i++) link(perm[i]!, perm[(i + 1) % n]!);
  if (n >= 5) {
    for (let a = 0; a < n; a++) {
      if (rng.float() >= 0.6) continue;
      for (let tries = 0; tries < 6; tries++) {
        const b = rng.int(n);
        if (b === a || adj[a]!.includes(b) || adj[a]!.length >= 4 || adj[b]!.length >= 4) continue;
        link(a, b);
        break;
      }
    }
  }
  for (const l of adj) l.sort((x, y) => x - y);
  // Three regions (think eu / us / ap): near-zero latency inside, tens of ms between.
  const region = (i: number): number => i % 3;
  const between = [
    [1500, 45000, 120000],
    [45000, 1500, 85000],
    [120000, 85000, 1500],
  ];
  const lat: number[][] = [];
  const bw: number[][] = [];
  for (let a = 0; a < n; a++) {
    lat.push([]);
    bw.push([]);
    for (let b = 0; b < n; b++) {
      const base = between[region(a)]![region(b)]!;
      lat[a]!.push(base * (0.9 + 0.2 * rng.float()));
      // TCP-window-limited throughput falls with distance.
      bw[a]!.push(base < 10000 ? 60 : 6 + 4 * rng.float());
    }
  }
  for (let a = 0; a < n; a++)
    for (let b = 0; b < a; b++) {
      lat[a]![b] = lat[b]![a]!;
      bw[a]![b] = bw[b]![a]!;
    }
  return { adj, lat, bw };
}

export interface ChainResult {
  topo: Topology;
  /** Events of each node that come from blocks (forging and propagation), sorted by time. */
  perNode: Ev[][];
  leader: Uint8Array;
  blocksForged: number;
  blocksOnChain: number;
  battles: number;
}

/** Phase 1: leaders, blocks, forks and propagation over the topology. Seed-only. */
export function simulateChain(p: Params): ChainResult {
  const { seed, nodes: N, slots: S, t0 } = p;
  const rng = new Rng(seed, STREAM_CHAIN);
  // Details of the server's update edges come from their own stream: how real logs show an
  // update must not move the chain's blocks and timings.
  const edges = new Rng(seed, STREAM_EDGE);
  const topo = buildTopology(seed, N);
  const { adj, lat, bw } = topo;
  const perNode: Ev[][] = Array.from({ length: N }, () => []);
  const leader = new Uint8Array(N * S);
  // Per-node tip history (time-sorted) for "what was this node's tip at time t".
  const tipT: number[][] = Array.from({ length: N }, () => []);
  const tipNo: number[][] = Array.from({ length: N }, () => []);
  const tipHash: string[][] = Array.from({ length: N }, () => []);
  const lastCanonAdopt = new Float64Array(N).fill(-Infinity);
  const lastCanonEv: (Ev | null)[] = new Array<Ev | null>(N).fill(null);
  const pendingSwitch = new Uint8Array(N);
  let canonHash = GENESIS_HASH;
  let lastBlockT = t0 - 10 * US;
  let forged = 0;
  let onChain = 0;
  let battles = 0;
  // Praos: with N equal pools, P(at least one leader) = f per slot.
  const q = 1 - Math.pow(1 - ACTIVE_SLOTS, 1 / N);

  const recordTip = (m: number, t: number, no: number, hash: string): void => {
    const ts = tipT[m]!;
    let i = ts.length;
    while (i > 0 && ts[i - 1]! > t) i--;
    ts.splice(i, 0, t);
    tipNo[m]!.splice(i, 0, no);
    tipHash[m]!.splice(i, 0, hash);
  };
  const tipAt = (m: number, t: number): { no: number; hash: string } => {
    const ts = tipT[m]!;
    let i = ts.length - 1;
    while (i >= 0 && ts[i]! >= t) i--;
    return i < 0 ? { no: 0, hash: GENESIS_HASH } : { no: tipNo[m]![i]!, hash: tipHash[m]![i]! };
  };
  const jit = (): number => 1 + 0.15 * Math.abs(rng.normal());

  /**
   * The server side of an adoption: a header update to every neighbour, each a rising edge
   * and, once the header is sent, a falling edge. One in ten reads does not block (the
   * follower asked again before the block arrived here), as real logs show.
   */
  const announce = (m: number, t: number, b: { slot: number; no: number; hash: string }, out: Float64Array): void => {
    const ev0 = t + rng.logn(600, 0.5);
    for (let j = 0; j < adj[m]!.length; j++) {
      const peer = adj[m]![j]!;
      const ta = ev0 + j * 40 + rng.float() * 30;
      out[peer] = ta;
      // The chain stream keeps the two draws the earlier model made here (a 20% falling
      // edge and its delay), so that every seed keeps its blocks and timings: the samples'
      // chain and the fixed-seed test outcomes do not move with the log shapes.
      if (rng.float() < 0.2) rng.logn(20000, 1);
      const nonBlocking = edges.float() < 0.1 ? 1 : 0;
      perNode[m]!.push(ev(ta, E.ANNOUNCE, b.slot, b.no, b.hash, '', 0, peer, nonBlocking));
      perNode[m]!.push(ev(ta + edges.logn(150, 0.5), E.ANNOUNCE_FALL, b.slot, b.no, b.hash, '', 0, peer, nonBlocking));
    }
  };

  for (let s = 0; s < S; s++) {
    const tS = t0 + s * US;
    const leaders: number[] = [];
    for (let n = 0; n < N; n++) if (rng.float() < q) leaders.push(n);
    interface Cand {
      n: number;
      plan: SlotPlan;
      tipNo: number;
      tipHash: string;
      hash: string;
      size: number;
    }
    const cands: Cand[] = [];
    for (const n of leaders) {
      const plan = slotPlan(seed, n, s, t0);
      if (plan.missed) continue;
      leader[n * S + s] = 1;
      const tip = tipAt(n, plan.ctx);
      // Block body: the transactions that arrived since the last block, capped at the max size.
      const gap = Math.min(30, (tS - lastBlockT) / US);
      const txs = Math.round(TPS * gap * (0.7 + 0.3 * rng.float()));
      const size = Math.min(MAX_BODY, 860 + txs * Math.round(260 + 80 * rng.float()));
      cands.push({ n, plan, tipNo: tip.no, tipHash: tip.hash, hash: rng.hex(8), size });
    }
    if (cands.length === 0) continue;
    // Only blocks on the canonical tip can join the chain; the lowest hash wins a slot battle.
    let winner: Cand | null = null;
    for (const c of cands)
      if (c.tipHash === canonHash && (winner === null || c.hash < winner.hash)) winner = c;
    if (cands.length > 1) battles++;

    for (const c of cands) {
      const { n, plan } = c;
      const r = plan.rng;
      const no = c.tipNo + 1;
      const b = { slot: s, no, hash: c.hash };
      const ticked = plan.lead + r.logn(1200, 0.5);
      const memsnap = ticked + r.logn(800 + c.size / 64, 0.4);
      const forgedT = memsnap + r.logn(4000 + c.size * 0.25, 0.3);
      const adoptT = forgedT + r.logn(8000 + c.size * 0.3, 0.3);
      const adoptForgerT = adoptT + r.logn(150, 0.3);
      const own = perNode[n]!;
      own.push(ev(ticked, E.TICKED, s));
      own.push(ev(memsnap, E.MEMSNAP, s));
      own.push(ev(forgedT, E.FORGED, s, no, c.hash, c.tipHash, c.size));
      // `prev` of an adoption holds the forger's key hash (its chain selection view names it).
      const adoptedEv = ev(adoptT, E.ADOPTED, s, no, c.hash, issuerHash(n), c.size);
      own.push(adoptedEv);
      own.push(ev(adoptT + 200, E.REMOVETX, s));
      own.push(ev(adoptForgerT, E.ADOPTED_FORGER, s, no, c.hash, '', c.size));
      recordTip(n, adoptT, no, c.hash);
      forged++;
      const annAt = new Float64Array(N).fill(Infinity);
      announce(n, adoptT, b, annAt);

      if (c !== winner) {
        // Orphan: only its forger adopts it; neighbours see the header but never fetch it.
        for (const m of adj[n]!) perNode[m]!.push(ev(annAt[m]! + lat[n]![m]! * jit(), E.HEADER, s, no, c.hash, '', 0, n));
        // The forger switches back when the canonical block it lacked (or the next one) arrives.
        const last = lastCanonEv[n];
        if (last && last.t > adoptT && last.c === E.ADOPTED) last.c = E.SWITCHED;
        else pendingSwitch[n] = 1;
        continue;
      }

      // Canonical block: Dijkstra over header arrival times.
      canonHash = c.hash;
      lastBlockT = tS;
      onChain++;
      const arrivals: { t: number; from: number }[][] = Array.from({ length: N }, () => []);
      const first = new Float64Array(N).fill(Infinity);
      const done = new Uint8Array(N);
      const adoptAt = new Float64Array(N).fill(Infinity);
      done[n] = 1;
      adoptAt[n] = adoptT;
      lastCanonAdopt[n] = adoptT;
      lastCanonEv[n] = adoptedEv;
      const relax = (from: number, ann: Float64Array): void => {
        for (const m of adj[from]!) {
          if (done[m]) continue;
          const ta = ann[m]! + lat[from]![m]! * jit();
          arrivals[m]!.push({ t: ta, from });
          if (ta < first[m]!) first[m] = ta;
        }
      };
      relax(n, annAt);
      for (;;) {
        let m = -1;
        for (let i = 0; i < N; i++) if (!done[i] && first[i]! < Infinity && (m < 0 || first[i]! < first[m]!)) m = i;
        if (m < 0) break;
        done[m] = 1;
        const arr = arrivals[m]!.sort((x, y) => x.t - y.t);
        const up = arr[0]!.from;
        const h = arr[0]!.t;
        const req = h + rng.logn(3000, 0.6);
        const sentT = req + lat[m]![up]! * jit() + rng.logn(200, 0.3);
        const fetchedT = sentT + lat[up]![m]! * jit() + c.size / bw[up]![m]!;
        const adopt = Math.max(fetchedT + rng.logn(6000 + c.size * 0.15, 0.3), lastCanonAdopt[m]! + 500);
        adoptAt[m] = adopt;
        const pm = perNode[m]!;
        for (const a of arr) if (a.t < adopt) pm.push(ev(a.t, E.HEADER, s, no, c.hash, '', 0, a.from));
        pm.push(ev(req, E.FETCH_REQ, s, no, c.hash, '', 0, up));
        perNode[up]!.push(ev(sentT, E.SENT, s, no, c.hash, '', c.size, m));
        const fetchedEv = ev(fetchedT, E.FETCHED, s, no, c.hash, '', c.size, up);
        fetchedEv.val = fetchedEv.t - Math.round(req);
        pm.push(fetchedEv);
        pm.push(ev(fetchedT + 50, E.FETCH_BATCH, s, no, c.hash, '', 0, up));
        pm.push(ev(fetchedT + 300, E.VOLATILE, s, no, c.hash));
        const a = ev(adopt, pendingSwitch[m] ? E.SWITCHED : E.ADOPTED, s, no, c.hash, issuerHash(n), c.size);
        pendingSwitch[m] = 0;
        pm.push(a);
        pm.push(ev(adopt + 200, E.REMOVETX, s));
        lastCanonAdopt[m] = adopt;
        lastCanonEv[m] = a;
        recordTip(m, adopt, no, c.hash);
        const ann = new Float64Array(N).fill(Infinity);
        announce(m, adopt, b, ann);
        relax(m, ann);
      }
    }
  }
  // Stable sort keeps generation order for equal timestamps.
  for (const l of perNode) l.sort((x, y) => x.t - y.t);
  return { topo, perNode, leader, blocksForged: forged, blocksOnChain: onChain, battles };
}
