// The format-independent `data` fields of each message (everything after `kind`).
import { E } from './messages.js';
import { EPOCH_LENGTH, MAX_BODY, NODE_VERSION, US, point, type Ev } from './model.js';
import type { NodeState, ResConfig } from './node-state.js';
import { resourceRest } from './resources.js';
import type { Rng } from './rng.js';

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** A Praos chain selection view (`newTipSelectView`), as 10.x nodes log it. */
function selectView(no: number, slot: number, issuer: string, hash: string): string {
  return (
    `{"chainLength":${no},"issueNo":0,"issuerHash":"${issuer}","kind":"PraosChainSelectView",` +
    `"slotNo":${slot},"tieBreakVRF":"${hash}${hash}"}`
  );
}

/** KES periods of 36 hours (129 600 one-second slots); a fresh key, 62 evolutions. */
const KES_PERIOD = 129_600;

/** Format-independent data fields (after `kind`), updating node state in time order. */
export function restOf(st: NodeState, e: Ev, resRng: Rng, cfg: ResConfig, adj: number[]): string {
  switch (e.c) {
    case E.RES:
      return resourceRest(st, e, resRng, cfg);
    case E.LOOP:
      return (
        `,"chainDensity":${round6(st.tipNo / (e.slot + 1))},"delegMapSize":${cfg.nodes}` +
        `,"slot":${e.slot},"utxoSize":${120000 + st.tipNo * 180}`
      );
    case E.CTX:
      return `,"current slot":${e.slot},"tip":"${point(st.tipHash, st.tipSlot, st.tipNo)}","tipBlockNo":${st.tipNo}`;
    case E.LSTATE:
    case E.LVIEW:
    case E.LEADER:
    case E.NOTLEADER:
      return `,"slot":${e.slot}`;
    case E.TICKED:
      return `,"prev":"${point(st.tipHash, st.tipSlot, st.tipNo)}","slot":${e.slot}`;
    case E.MEMSNAP:
      return (
        `,"mempoolHash":"${st.tipNo === 0 ? 'genesis' : st.tipHash}","mempoolSlot":${st.tipSlot}` +
        `,"prev":"${point(st.tipHash, st.tipSlot, st.tipNo)}","slot":${e.slot}`
      );
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
      return '';
    case E.ANNOUNCE:
    case E.ANNOUNCE_FALL:
      st.netWr += 550;
      return '';
    case E.SENT:
      st.netWr += e.size;
      return `,"block":"${e.hash}"`;
    case E.ADOPTED:
    case E.SWITCHED: {
      // New tracing has no chainLengthDelta; the legacy writer adds it from `val`.
      e.val = e.no - st.tipNo;
      const old = st.tipNo > 0 ? `,"oldTipSelectView":${selectView(st.tipNo, st.tipSlot, st.tipIssuer, st.tipHash)}` : '';
      st.tipNo = e.no;
      st.tipHash = e.hash;
      st.tipSlot = e.slot;
      st.tipIssuer = e.prev;
      st.fsWr += e.size;
      st.bump += 1 + (2 * e.size) / MAX_BODY;
      return `,"newTipSelectView":${selectView(e.no, e.slot, e.prev, e.hash)},"newtip":"${e.hash}@${e.slot}"${old}`;
    }
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
      // The fields of `KESInfo` as 10.x logs them (its endPeriod is the current period).
      return `,"endPeriod":${Math.floor(e.slot / KES_PERIOD)},"evolution":62,"startPeriod":0`;
    case E.STARTUP_INFO:
      return `,"nodeVersion":"${NODE_VERSION}","era":"Conway","networkMagic":42`;
    case E.STARTUP_COMMON:
      return `,"systemStartTime":"${e.hash}","slotLength":1,"epochLength":${EPOCH_LENGTH}`;
    case E.STARTUP_LISTEN:
      return `,"address":"${e.hash}"`;
  }
}
