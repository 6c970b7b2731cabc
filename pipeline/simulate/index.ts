// simulate: synthetic workbench runs (meta.json, genesis, node logs in either tracing format)
// with planted effects, for tests, benchmarks and the demo; and the committed samples. Takes
// SimulateOptions; gives run folders. Depends on nothing but core.
export * from './run.js';
export * from './samples.js';
export { EFFECTS, expectedRatios, knobMultipliers, rtsFlags, runLevelFactors } from './effects.js';
export type { Knob, RunFactor } from './effects.js';
export { MARKER_TEXT, SIMULATED_MARKER, assertReplaceable, defaultTagPrefix, parseShape } from './layout.js';
export { MESSAGES, type MessageSpec } from './messages.js';
export { Rng } from './rng.js';
export { SHAPE_NAMES } from './options.js';
export type { LogShape, SimulateOptions, TracingFormat } from './options.js';