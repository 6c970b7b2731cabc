// jobs: one module per command (report, history, extract, demo), each body a short numbered
// list of stage calls. Takes the CLI's parsed options; gives written outputs and an exit code.
export * from './report.js';
export * from './history.js';
export * from './extract.js';
export * from './demo.js';
export * from './set-labels.js';
