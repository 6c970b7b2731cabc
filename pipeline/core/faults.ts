// Fault points, for the fault tests (`npm run test:faults`) and scripts/crash-probe.mjs: with
// BENCH_REPORT_FAULT=kill:<point> the process kills itself (SIGKILL, as an OOM killer or a
// cluster's hard limit would) when it reaches <point>, so a test can crash it at an exact step
// instead of at a lucky moment. Unset, as always outside those tests, it is one env lookup.
export function faultPoint(point: string): void {
  if (process.env.BENCH_REPORT_FAULT === `kill:${point}`) process.kill(process.pid, 'SIGKILL');
}

/**
 * With BENCH_REPORT_FAULT=stall:<point> the process waits (an hour) at <point>, announcing it on
 * stderr, so a test can signal it there (SIGTERM while the scratch exists).
 */
export async function faultStall(point: string): Promise<void> {
  if (process.env.BENCH_REPORT_FAULT !== `stall:${point}`) return;
  process.stderr.write(`stalled at ${point}\n`);
  await new Promise((resolve) => setTimeout(resolve, 3_600_000));
}
