// The simulator lives in pipeline/simulate/ (one module per concern); this re-export keeps
// imports written before the split working.
export * from './simulate/index.js';
