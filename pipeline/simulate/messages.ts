// Messages: one code per emitted message, with both formats' names.

export enum E {
  RES,
  LOOP,
  CTX,
  LSTATE,
  LVIEW,
  LEADER,
  NOTLEADER,
  TICKED,
  MEMSNAP,
  FORGED,
  ADOPTED_FORGER,
  HEADER,
  FETCH_REQ,
  FETCHED,
  ANNOUNCE,
  ANNOUNCE_FALL,
  SENT,
  ADOPTED,
  SNAPSHOT,
  ADDTX,
  REMOVETX,
  SWITCHED,
  VOLATILE,
  FETCH_BATCH,
  IG_COUNTERS,
  IG_PROMOTED,
  FETCH_DECISION,
  FORGE_STATE,
  STARTUP_INFO,
  STARTUP_COMMON,
  STARTUP_LISTEN,
}

export interface MessageSpec {
  /** Canonical event of DESIGN §2, or null for messages only counted in trace frequencies. */
  canonical: string | null;
  newNs: string;
  newKind: string;
  legacyNs: string;
  legacyKind: string;
  /** Severity in new tracing. */
  sev: string;
  /** Severity in legacy tracing, where it differs. */
  legacySev: string;
  thread: string;
}

export function msg(
  canonical: string | null,
  newNs: string,
  newKind: string,
  legacyNs: string,
  legacyKind: string,
  thread: string,
  sev = 'Info',
  legacySev = sev,
): MessageSpec {
  return { canonical, newNs, newKind, legacyNs, legacyKind, sev, legacySev, thread };
}

const L_FORGE = 'cardano.node.Forge';
const L_CHAINDB = 'cardano.node.ChainDB';
const L_BFC = 'cardano.node.BlockFetchClient';

/**
 * Every message the simulator writes, indexed by internal code (order matches `E`). Names,
 * kinds and severities are cardano-node 10.1.4's (new tracing: Cardano/Node/Tracing/Tracers;
 * legacy: Cardano/Tracing/OrphanInstances), checked against verbatim real lines in
 * test/fixtures/real-lines/.
 */
export const MESSAGES: readonly MessageSpec[] = [
  msg('resources', 'Resources', 'ResourceStats', 'cardano.node.resources', 'ResourceStats', '12'),
  // 10.x nodes log the Plus variant (with ledger figures) every slot, under the plain kind.
  msg('loop_start', 'Forge.Loop.StartLeadershipCheckPlus', 'TraceStartLeadershipCheck', 'cardano.node.LeadershipCheck', 'TraceStartLeadershipCheck', '34'),
  msg('block_context', 'Forge.Loop.BlockContext', 'TraceBlockContext', L_FORGE, 'TraceBlockContext', '34', 'Debug'),
  msg('ledger_state', 'Forge.Loop.LedgerState', 'TraceLedgerState', L_FORGE, 'TraceLedgerState', '34', 'Debug'),
  msg('ledger_view', 'Forge.Loop.LedgerView', 'TraceLedgerView', L_FORGE, 'TraceLedgerView', '34', 'Debug'),
  msg('leader', 'Forge.Loop.NodeIsLeader', 'TraceNodeIsLeader', L_FORGE, 'TraceNodeIsLeader', '34'),
  msg('not_leader', 'Forge.Loop.NodeNotLeader', 'TraceNodeNotLeader', L_FORGE, 'TraceNodeNotLeader', '34'),
  msg('ticked', 'Forge.Loop.ForgeTickedLedgerState', 'TraceForgeTickedLedgerState', L_FORGE, 'TraceForgeTickedLedgerState', '34', 'Debug'),
  msg('mempool_snapshot', 'Forge.Loop.ForgingMempoolSnapshot', 'TraceForgingMempoolSnapshot', L_FORGE, 'TraceForgingMempoolSnapshot', '34', 'Debug'),
  msg('forged', 'Forge.Loop.ForgedBlock', 'TraceForgedBlock', L_FORGE, 'TraceForgedBlock', '34'),
  msg('adopted_forger', 'Forge.Loop.AdoptedBlock', 'TraceAdoptedBlock', L_FORGE, 'TraceAdoptedBlock', '34'),
  msg('header_seen', 'ChainSync.Client.DownloadedHeader', 'DownloadedHeader', 'cardano.node.ChainSyncClient', 'ChainSyncClientEvent.TraceDownloadedHeader', '2'),
  msg('fetch_request', 'BlockFetch.Client.SendFetchRequest', 'SendFetchRequest', L_BFC, 'SendFetchRequest', '3'),
  msg('fetched', 'BlockFetch.Client.CompletedBlockFetch', 'CompletedBlockFetch', L_BFC, 'CompletedBlockFetch', '3'),
  // The rising edge of a ChainSync server update (blocking or not, in `val`). Nodes before
  // 1.35 wrote it in legacy as …ReadBlocked.AddBlock / …Read.AddBlock (shape `read-blocked`).
  msg('announced', 'ChainSync.ServerHeader.Update', 'ChainSyncServer.Update', 'cardano.node.ChainSyncHeaderServer', 'ChainSyncServerEvent.TraceChainSyncServerUpdate', '4'),
  // The falling edge: no risingEdge field; Debug in new tracing; never an announcement.
  msg(null, 'ChainSync.ServerHeader.Update', 'ChainSyncServer.Update', 'cardano.node.ChainSyncHeaderServer', 'ChainSyncServerEvent.TraceChainSyncServerUpdate', '4', 'Debug', 'Info'),
  msg('sent', 'BlockFetch.Server.SendBlock', 'BlockFetchServer', 'cardano.node.BlockFetchServer', 'TraceBlockFetchServerSendBlock', '5'),
  msg('adopted', 'ChainDB.AddBlockEvent.AddedToCurrentChain', 'AddedToCurrentChain', L_CHAINDB, 'TraceAddBlockEvent.AddedToCurrentChain', '81', 'Notice'),
  msg('ledger_snapshot', 'ChainDB.LedgerEvent.TookSnapshot', 'TookSnapshot', L_CHAINDB, 'TraceSnapshotEvent.TookSnapshot', '81'),
  msg('mempool', 'Mempool.AddedTx', 'TraceMempoolAddedTx', 'cardano.node.Mempool', 'TraceMempoolAddedTx', '61'),
  msg('mempool', 'Mempool.RemoveTxs', 'TraceMempoolRemoveTxs', 'cardano.node.Mempool', 'TraceMempoolRemoveTxs', '61'),
  msg(null, 'ChainDB.AddBlockEvent.SwitchedToAFork', 'TraceAddBlockEvent.SwitchedToAFork', L_CHAINDB, 'TraceAddBlockEvent.SwitchedToAFork', '81', 'Notice'),
  msg(null, 'ChainDB.AddBlockEvent.AddedBlockToVolatileDB', 'AddedBlockToVolatileDB', L_CHAINDB, 'TraceAddBlockEvent.AddedBlockToVolatileDB', '81', 'Debug'),
  msg(null, 'BlockFetch.Client.CompletedFetchBatch', 'CompletedFetchBatch', L_BFC, 'CompletedFetchBatch', '3'),
  msg(null, 'Net.InboundGovernor.Remote.InboundGovernorCounters', 'InboundGovernorCounters', 'cardano.node.InboundGovernor', 'TrInboundGovernorCounters', '90'),
  msg(null, 'Net.InboundGovernor.Remote.PromotedToHotRemote', 'PromotedToHotRemote', 'cardano.node.InboundGovernor', 'TrPromotedToHotRemote', '90'),
  msg(null, 'BlockFetch.Decision.Decline', 'PeerFetchDecisions', 'cardano.node.BlockFetchDecision', 'PeersFetch', '91', 'Debug'),
  // KES state, every slot after the loop start (real 10.2.1 line: ["Forge","StateInfo","StateInfo"]).
  msg(null, 'Forge.StateInfo.StateInfo', 'KESInfo', L_FORGE, 'KESInfo', '34'),
  msg(null, 'Startup.Info', 'StartupInfo', 'cardano.node.startup', 'StartupInfo', '1', 'Notice'),
  msg(null, 'Startup.Common', 'StartupCommon', 'cardano.node.startup', 'StartupCommon', '1', 'Notice'),
  msg(null, 'Startup.DiffusionInit.ListeningServerSocket', 'ListeningServerSocket', 'cardano.node.DiffusionInit', 'ListeningServerSocket', '1', 'Notice'),
];

/** Forge-loop messages a 10.4.1 node at its default verbosity does not log (shape `quiet-forge`). */
export const VERBOSE_FORGE: ReadonlySet<E> = new Set([E.CTX, E.LSTATE, E.LVIEW, E.TICKED, E.MEMSNAP]);

/**
 * Legacy messages of the forge tracer, which labels them with the credentials:
 * `data: {"credentials": "Cardano", "val": {…}}` (real line: 1.35.0, node-31).
 */
export const LEGACY_CREDS_WRAPPED: ReadonlySet<E> = new Set([
  E.CTX, E.LSTATE, E.LVIEW, E.LEADER, E.NOTLEADER, E.TICKED, E.MEMSNAP, E.FORGED, E.ADOPTED_FORGER, E.FORGE_STATE,
]);
