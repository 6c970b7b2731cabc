// analysis (variance/compare): run values of a baseline and candidate sets → per-metric
// statistics and verdicts (DESIGN §5): Welch and prediction-interval tests, BH q-values, noise
// thresholds, variance changes, within-run estimates, the summary sentences, and the assembled
// Report. Takes MetricsResult and sets of run ids; gives MetricComparison[] and a Report.
export * from './stats.js';
export * from './verdict.js';
export * from './compare.js';
export * from './sets.js';
export * from './noise-config.js';
export * from './noise-history.js';
export * from './assemble.js';
export * from './decision.js';
export * from './sentences.js';
