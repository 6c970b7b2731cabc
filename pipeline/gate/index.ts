// gate: verdicts against a gates file (budgets, waivers, require_decided; DESIGN §5.4) →
// pass, fail or undecided, and the exit code a nightly or release job acts on.
export * from './gate.js';
