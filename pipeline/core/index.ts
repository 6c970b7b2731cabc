// core: what every stage shares and nothing depends on below it — the types of runs, reports
// and verdicts, the metric catalogue, errors that carry an exit code, the logger, atomic file
// writes and the seeded PRNG. Takes nothing; gives the vocabulary of the other stages.
export * from './types.js';
export * from './errors.js';
export * from './log.js';
export * from './atomic.js';
export * from './random.js';
export * from './catalogue.js';
export * from './formats.js';
export * from './suggest.js';
export * from './faults.js';
export * from './genesis-rules.js';
export * from './fs-errors.js';
export * from './json-input.js';
export * from './scratch.js';
