// Resource samples (the `Resources` / `ResourceStats` message): cumulative counters and
// gauges drawn from the effect model with per-sample noise.
import { EFFECTS } from './effects.js';
import { US, type Ev } from './model.js';
import { MIB, RES_KB, type NodeState, type ResConfig } from './node-state.js';
import type { Rng } from './rng.js';

export function resourceRest(st: NodeState, e: Ev, rng: Rng, cfg: ResConfig): string {
  const B = EFFECTS.baseline;
  const sd = EFFECTS.sampleSd;
  // Fixed number of draws per sample, whatever the configuration, so runs of one seed share noise.
  const zCpu = rng.normal();
  const zBurst = rng.normal();
  const zAlloc = rng.normal();
  const zMinor = rng.normal();
  const zRss = rng.normal();
  const zHeap = rng.normal();
  const zLive = rng.normal();
  const zNetRd = rng.normal();
  const zNetWr = rng.normal();
  const zFsRd = rng.normal();
  const zFsWr = rng.normal();
  const uThr = rng.float();
  const { k, r } = cfg;
  const g = B.gcShare;
  if (st.lastResT < 0) {
    // The node has been up a while (startup, sync) before the first sample.
    const up = 90;
    st.cumMut = B.cpu_pct * (1 - g) * k.mut * r.cpu * up;
    st.cumGc = B.cpu_pct * g * k.gc * r.cpu * up;
    st.cumAlloc = B.alloc_mb_s * MIB * k.alloc * r.alloc * up;
    st.cumMinor = B.gc_minor_per_s * k.minor * r.minor * up;
    // Phases spread evenly over the nodes, so a run's count of major GCs is nearly exact
    // even when each node sees only a few.
    st.cumMajor = 2 + (cfg.node + cfg.majorPhase) / cfg.nodes;
    st.cumBlkIO = 40;
    st.netRd += B.net_rd_kb_s * RES_KB * up;
    st.netWr += B.net_wr_kb_s * RES_KB * up;
    st.fsRd += 500 * MIB;
    st.fsWr += 20 * MIB;
    st.bump = 0;
  } else {
    const dt = (e.t - st.lastResT) / US;
    const inSnap = st.burstLeft > 0;
    if (inSnap) st.burstLeft--;
    const level = inSnap
      ? B.snapshotBurstCpuPct * (1 + 0.03 * zBurst)
      : Math.max(5, B.cpu_pct * (1 + sd.cpu * zCpu));
    const work = level * dt + st.bump;
    st.bump = 0;
    st.cumMut += work * (1 - g) * k.mut * r.cpu;
    st.cumGc += work * g * k.gc * r.cpu;
    st.cumAlloc += Math.max(0, B.alloc_mb_s * MIB * k.alloc * r.alloc * (1 + sd.alloc * zAlloc) * dt);
    st.cumMinor += Math.max(0, B.gc_minor_per_s * k.minor * r.minor * (1 + sd.minor * zMinor) * dt);
    st.cumMajor += B.gc_major_per_s * k.major * r.major * dt;
    st.cumBlkIO += 0.5 * dt;
    st.netRd += Math.max(0, B.net_rd_kb_s * RES_KB * r.net * (1 + sd.net * zNetRd) * dt);
    st.netWr += Math.max(0, B.net_wr_kb_s * RES_KB * r.net * (1 + sd.net * zNetWr) * dt);
    st.fsRd += Math.max(0, B.fs_rd_kb_s * RES_KB * r.fs * (1 + sd.fs * zFsRd) * dt);
    st.fsWr += Math.max(0, B.fs_wr_kb_s * RES_KB * r.fs * (1 + sd.fs * zFsWr) * dt);
  }
  st.lastResT = e.t;
  const rssMiB = B.rss_mb * k.rss * r.rss * (1 + sd.rss * zRss);
  const rss = Math.round(rssMiB * MIB);
  const heap = Math.round(rssMiB * B.heapShareOfRss * (1 + 0.002 * zHeap) * MIB);
  const live = Math.round(rssMiB * B.liveShareOfRss * (1 + 0.03 * zLive) * MIB);
  const threads = B.threads + cfg.threadsAdd + (uThr < 0.05 ? 1 : 0);
  const mut = Math.floor(st.cumMut);
  const gc = Math.floor(st.cumGc);
  // CentiCpu is floored from the exact sum so CentiGC + CentiMut ≈ CentiCpu (off by ≤ 1).
  const cpu = Math.floor(st.cumMut + st.cumGc);
  return (
    `,"Alloc":${Math.floor(st.cumAlloc)},"CentiBlkIO":${Math.floor(st.cumBlkIO)},"CentiCpu":${cpu}` +
    `,"CentiGC":${gc},"CentiMut":${mut},"FsRd":${Math.floor(st.fsRd)},"FsWr":${Math.floor(st.fsWr)}` +
    `,"GcsMajor":${Math.floor(st.cumMajor)},"GcsMinor":${Math.floor(st.cumMinor)},"Heap":${heap}` +
    `,"Live":${live},"NetRd":${Math.floor(st.netRd)},"NetWr":${Math.floor(st.netWr)},"RSS":${rss}` +
    `,"Threads":${threads}`
  );
}
