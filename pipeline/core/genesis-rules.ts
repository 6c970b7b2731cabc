// The genesis values slot timing rests on, and the ranges they must fall in: one rule for a run
// folder's genesis file (discover) and for an extract's manifest and runs.parquet (warehouse),
// so an extract from elsewhere is refused exactly as the run folder it claims to be would be.
const RULES = {
  slotLength: { lo: 0.001, hi: 3600, integral: false, want: 'a number of seconds from 0.001 to 3600' },
  epochLength: { lo: 1, hi: 1e9, integral: true, want: 'a whole number of slots from 1 to 10⁹' },
} as const;

/** `v` when it is a valid genesis `field`, else null. */
export function genesisValue(field: keyof typeof RULES, v: unknown): number | null {
  const r = RULES[field];
  return typeof v === 'number' && Number.isFinite(v) && v >= r.lo && v <= r.hi && (!r.integral || Number.isInteger(v)) ? v : null;
}

/** The sentence's end for an invalid genesis `field`: "genesis slotLength must be …, got 0." */
export function genesisProblem(field: keyof typeof RULES, v: unknown): string {
  return `genesis ${field} must be ${RULES[field].want}, got ${JSON.stringify(v) ?? 'nothing'}.`;
}
