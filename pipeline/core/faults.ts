// Fault points, for the fault tests (`npm run test:faults`) and scripts/crash-probe.mjs: with
// BENCH_REPORT_FAULT=kill:<point> the process kills itself (SIGKILL, as an OOM killer or a
// cluster's hard limit would) when it reaches <point>, so a test can crash it at an exact step
// instead of at a lucky moment. Unset, as always outside those tests, it is one env lookup.
export function faultPoint(point: string): void {
  if (process.env.BENCH_REPORT_FAULT === `kill:${point}`) process.kill(process.pid, 'SIGKILL');
}
