// The format-independent `data` fields of each message (everything after `kind`).
import { E } from './messages.js';
import { EPOCH_LENGTH, MAX_BODY, NODE_VERSION, US, type Ev } from './model.js';
import type { NodeState, ResConfig } from './node-state.js';
import { resourceRest } from './resources.js';
import type { Rng } from './rng.js';

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Format-independent data fields (after `kind`), updating node state in time order. */
export function restOf(st: NodeState, e: Ev, resRng: Rng, cfg: ResConfig, adj: number[]): string {
  switch (e.c) {
    case E.RES:
      return resourceRest(st, e, resRng, cfg);
    case E.LOOP:
      return `,"chainDensity":${round6(st.tipNo / (e.slot + 1))},"slot":${e.slot},"utxoSize":${120000 + st.tipNo * 180}`;
    case E.CTX:
      return `,"current slot":${e.slot},"tipBlockNo":${st.tipNo}`;
    case E.LSTATE:
    case E.LVIEW:
    case E.LEADER:
    case E.NOTLEADER:
    case E.TICKED:
    case E.MEMSNAP:
      return `,"slot":${e.slot}`;
    case E.FORGED:
      st.bump += 2;
      return `,"block":"${e.hash}","blockNo":${e.no},"blockPrev":"${e.prev}","slot":${e.slot}`;
    case E.ADOPTED_FORGER:
      return `,"blockHash":"${e.hash}","blockSize":${e.size},"slot":${e.slot}`;
    case E.HEADER:
      st.netRd += 1100;
      return `,"block":"${e.hash}","blockNo":${e.no},"slot":${e.slot}`;
    case E.FETCH_REQ:
      return `,"head":"${e.hash}","length":1`;
    case E.FETCHED:
      st.netRd += e.size;
      return `,"block":"${e.hash}","delay":${e.val / US},"size":${e.size}`;
    case E.FETCH_BATCH:
      return `,"block":"${e.hash}"`;
    case E.ANNOUNCE:
    case E.ANNOUNCE_FALL:
      st.netWr += 550;
      return '';
    case E.SENT:
      st.netWr += e.size;
      return `,"block":"${e.hash}"`;
    case E.ADOPTED:
    case E.SWITCHED:
      st.tipNo = e.no;
      st.tipHash = e.hash;
      st.tipSlot = e.slot;
      st.fsWr += e.size;
      st.bump += 1 + (2 * e.size) / MAX_BODY;
      return e.c === E.ADOPTED
        ? `,"chainLengthDelta":1,"newtip":"${e.hash}@${e.slot}"`
        : `,"newtip":"${e.hash}@${e.slot}"`;
    case E.VOLATILE:
      return `,"hash":"${e.hash}","slot":${e.slot}`;
    case E.SNAPSHOT:
      if (e.val === 0) {
        // A fixed number of burst samples keeps the run mean of cpu_pct free of burst-length noise.
        st.burstLeft = 2 + (st.snapshots++ % 2);
        return `,"enclosedTime":{"tag":"RisingEdge"},"snapshot":{"kind":"snapshot"},"tip":"RealPoint (SlotNo ${st.tipSlot}) ${st.tipHash}"`;
      }
      st.fsWr += 256 * 1024;
      return `,"enclosedTime":{"contents":${e.val / US},"tag":"FallingEdgeWith"},"snapshot":{"kind":"snapshot"},"tip":"RealPoint (SlotNo ${st.tipSlot}) ${st.tipHash}"`;
    case E.ADDTX:
      st.numTxs += e.val;
      return `,"mempoolSize":{"bytes":${st.numTxs * 300},"numTxs":${st.numTxs}},"tx":{"txid":"${e.hash}"}`;
    case E.REMOVETX: {
      const removed = st.numTxs - Math.floor(st.numTxs / 8);
      st.numTxs -= removed;
      return `,"mempoolSize":{"bytes":${st.numTxs * 300},"numTxs":${st.numTxs}},"txs":${removed}`;
    }
    case E.IG_COUNTERS:
      return `,"coldPeers":0,"hotPeers":${adj.length},"idlePeers":${e.val},"warmPeers":0`;
    case E.IG_PROMOTED:
      return `,"connectionId":"${e.hash}"`;
    case E.FETCH_DECISION:
      return `,"declined":"FetchDeclineAlreadyFetched","peers":${adj.length}`;
    case E.FORGE_STATE:
      return `,"currentKESPeriod":${Math.floor(e.slot / 129600)},"remainingKESPeriods":${62 - Math.floor(e.slot / 129600)}`;
    case E.STARTUP_INFO:
      return `,"nodeVersion":"${NODE_VERSION}","era":"Conway","networkMagic":42`;
    case E.STARTUP_COMMON:
      return `,"systemStartTime":"${e.hash}","slotLength":1,"epochLength":${EPOCH_LENGTH}`;
    case E.STARTUP_LISTEN:
      return `,"address":"${e.hash}"`;
  }
}
