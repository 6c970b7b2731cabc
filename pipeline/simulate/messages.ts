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
  sev: string;
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
): MessageSpec {
  return { canonical, newNs, newKind, legacyNs, legacyKind, sev, thread };
}

export const L_FORGE = 'cardano.node.Forge';
export const L_CHAINDB = 'cardano.node.ChainDB';
export const L_BFC = 'cardano.node.BlockFetchClient';

/** Every message the simulator writes, indexed by internal code (order matches `E`). */
export const MESSAGES: readonly MessageSpec[] = [
  msg('resources', 'Resources', 'ResourceStats', 'cardano.node.resources', 'ResourceStats', '12'),
  msg('loop_start', 'Forge.Loop.StartLeadershipCheck', 'TraceStartLeadershipCheck', 'cardano.node.LeadershipCheck', 'TraceStartLeadershipCheck', '34'),
  msg('block_context', 'Forge.Loop.BlockContext', 'TraceBlockContext', L_FORGE, 'TraceBlockContext', '34'),
  msg('ledger_state', 'Forge.Loop.LedgerState', 'TraceLedgerState', L_FORGE, 'TraceLedgerState', '34'),
  msg('ledger_view', 'Forge.Loop.LedgerView', 'TraceLedgerView', L_FORGE, 'TraceLedgerView', '34'),
  msg('leader', 'Forge.Loop.NodeIsLeader', 'TraceNodeIsLeader', L_FORGE, 'TraceNodeIsLeader', '34'),
  msg('not_leader', 'Forge.Loop.NodeNotLeader', 'TraceNodeNotLeader', L_FORGE, 'TraceNodeNotLeader', '34'),
  msg('ticked', 'Forge.Loop.TickedLedgerState', 'TraceForgeTickedLedgerState', L_FORGE, 'TraceForgeTickedLedgerState', '34'),
  msg('mempool_snapshot', 'Forge.Loop.MempoolSnapshot', 'TraceForgingMempoolSnapshot', L_FORGE, 'TraceForgingMempoolSnapshot', '34'),
  msg('forged', 'Forge.Loop.ForgedBlock', 'TraceForgedBlock', L_FORGE, 'TraceForgedBlock', '34'),
  msg('adopted_forger', 'Forge.Loop.AdoptedBlock', 'TraceAdoptedBlock', L_FORGE, 'TraceAdoptedBlock', '34'),
  msg('header_seen', 'ChainSync.Client.DownloadedHeader', 'DownloadedHeader', 'cardano.node.ChainSyncClient', 'ChainSyncClientEvent.TraceDownloadedHeader', '2'),
  msg('fetch_request', 'BlockFetch.Client.SendFetchRequest', 'SendFetchRequest', L_BFC, 'SendFetchRequest', '3'),
  msg('fetched', 'BlockFetch.Client.CompletedBlockFetch', 'CompletedBlockFetch', L_BFC, 'CompletedBlockFetch', '3'),
  msg('announced', 'ChainSync.ServerHeader.Update', 'ChainSyncServerEvent.TraceChainSyncServerUpdate', 'cardano.node.ChainSyncHeaderServer', 'ChainSyncServerEvent.TraceChainSyncServerReadBlocked.AddBlock', '4'),
  // The falling edge: same new ns (risingEdge:false), a different legacy kind; never counted.
  msg(null, 'ChainSync.ServerHeader.Update', 'ChainSyncServerEvent.TraceChainSyncServerUpdate', 'cardano.node.ChainSyncHeaderServer', 'ChainSyncServerEvent.TraceChainSyncServerRead.AddBlock', '4'),
  msg('sent', 'BlockFetch.Server.SendBlock', 'TraceBlockFetchServerSendBlock', 'cardano.node.BlockFetchServer', 'TraceBlockFetchServerSendBlock', '5'),
  msg('adopted', 'ChainDB.AddBlockEvent.AddedToCurrentChain', 'AddedToCurrentChain', L_CHAINDB, 'TraceAddBlockEvent.AddedToCurrentChain', '81'),
  msg('ledger_snapshot', 'ChainDB.LedgerEvent.TookSnapshot', 'TookSnapshot', L_CHAINDB, 'TraceSnapshotEvent.TookSnapshot', '81'),
  msg('mempool', 'Mempool.AddedTx', 'TraceMempoolAddedTx', 'cardano.node.Mempool', 'TraceMempoolAddedTx', '61'),
  msg('mempool', 'Mempool.RemoveTxs', 'TraceMempoolRemoveTxs', 'cardano.node.Mempool', 'TraceMempoolRemoveTxs', '61'),
  msg(null, 'ChainDB.AddBlockEvent.SwitchedToAFork', 'TraceAddBlockEvent.SwitchedToAFork', L_CHAINDB, 'TraceAddBlockEvent.SwitchedToAFork', '81'),
  msg(null, 'ChainDB.AddBlockEvent.AddedBlockToVolatileDB', 'TraceAddBlockEvent.AddedBlockToVolatileDB', L_CHAINDB, 'TraceAddBlockEvent.AddedBlockToVolatileDB', '81', 'Debug'),
  msg(null, 'BlockFetch.Client.CompletedFetchBatch', 'CompletedFetchBatch', L_BFC, 'CompletedFetchBatch', '3'),
  msg(null, 'Net.InboundGovernor.Remote.InboundGovernorCounters', 'InboundGovernorCounters', 'cardano.node.InboundGovernor', 'TrInboundGovernorCounters', '90'),
  msg(null, 'Net.InboundGovernor.Remote.PromotedToHotRemote', 'PromotedToHotRemote', 'cardano.node.InboundGovernor', 'TrPromotedToHotRemote', '90'),
  msg(null, 'BlockFetch.Decision.Decline', 'PeerFetchDecisions', 'cardano.node.BlockFetchDecision', 'PeersFetch', '91', 'Debug'),
  msg(null, 'Forge.StateInfo', 'ForgeStateInfo', 'cardano.node.ForgeStateInfo', 'TraceForgeStateInfo', '35'),
  msg(null, 'Startup.Info', 'StartupInfo', 'cardano.node.startup', 'StartupInfo', '1', 'Notice'),
  msg(null, 'Startup.Common', 'StartupCommon', 'cardano.node.startup', 'StartupCommon', '1', 'Notice'),
  msg(null, 'Startup.DiffusionInit.ListeningServerSocket', 'ListeningServerSocket', 'cardano.node.DiffusionInit', 'ListeningServerSocket', '1', 'Notice'),
];
