// metrics: the warehouse's canonical events → per-run values and within-run distributions of
// every catalogue metric (the SQL files of queries/), after the block filters (locli's chain
// filters, slot and epoch ranges). Takes a warehouse and run ids; gives MetricsResult.
export * from './metrics.js';
export * from './filters.js';
