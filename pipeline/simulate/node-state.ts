// Per-node running state (tip, mempool, cumulative resource counters), advanced in time
// order while the node's lines are formatted, and the resource configuration of a run.
import type { Knob, RunFactor } from './effects.js';
import { GENESIS_HASH } from './model.js';

export interface ResConfig {
  k: Record<Knob, number>;
  r: Record<RunFactor, number>;
  threadsAdd: number;
  node: number;
  nodes: number;
  /** Run-level phases in [0, 1), spread over the nodes (see their use). */
  majorPhase: number;
  snapPhase: number;
}

/** Per-node running state, updated in time order while lines are formatted. */
export class NodeState {
  tipNo = 0;
  tipHash = GENESIS_HASH;
  tipSlot = 0;
  /** Key hash of the tip's forger ('' at genesis). */
  tipIssuer = '';
  numTxs = 0;
  lastResT = -1;
  cumMut = 0;
  cumGc = 0;
  cumAlloc = 0;
  cumMinor = 0;
  cumMajor = 0;
  cumBlkIO = 0;
  netRd = 0;
  netWr = 0;
  fsRd = 0;
  fsWr = 0;
  /** CPU work (centiseconds) of block forging/validation since the last sample. */
  bump = 0;
  snapshots = 0;
  /** Resource samples still to report at the snapshot burst level. */
  burstLeft = 0;
}

export const RES_KB = 1024;
export const MIB = 1048576;
