/**
 * V8 settings for the long-running service, set at run time by `zoomsync serve` before its
 * libraries load (registry.ts). Both trade a little CPU for memory on a Raspberry Pi-sized box;
 * bench:service measures each (RSS once ready and after the runs, CPU, joystick -> frame):
 *
 * - `--semi-space-growth-factor=1`: the young generation stays at its initial 1 MiB semi-space
 *   instead of growing to 16 MiB each (loading the libraries alone grew it to 16). The service's
 *   garbage is small and short-lived (a request, a joystick message), so scavenges stay short.
 *   V8 reads the factor whenever it would grow the space; --max-semi-space-size given at run
 *   time changes nothing (checked on node 20), so no re-exec is needed.
 * - `--no-opt`: no TurboFan. Its optimizing compiles run on V8's worker threads, and each
 *   thread's malloc arena kept ~1.5 MiB after a burst of requests (~6 MiB in all, never given
 *   back), plus the optimized code itself. Ignition and Sparkplug run the service's code; it is
 *   I/O-bound (serial lines at 9600 baud, a few requests a second from a console).
 * - `--optimize-for-size`: V8's heuristics for a small heap (read while the heap runs, so it
 *   works at run time): the old generation grows in smaller steps. bench:service, 3 s of REST
 *   reads: RSS after the runs 64 MiB with it, 80 MiB without, the same requests per second.
 *
 * The operator's own choice wins: a semi-space flag (NODE_OPTIONS=--max-semi-space-size=N, or
 * on node's command line) leaves the young generation alone; `node --opt …/zoomsync.js serve`
 * (or --jitless, --no-opt) leaves the compiler alone.
 */
import { setFlagsFromString } from 'node:v8';

/** The V8 flags the service sets, given node's command line and NODE_OPTIONS (none the operator already chose). */
export function serviceV8Flags(execArgv: readonly string[], nodeOptions: string): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].map((flag) => flag.replaceAll('_', '-'));
  const flags: string[] = [];
  if (!given.some((flag) => /^--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor)\b/.test(flag))) flags.push('--semi-space-growth-factor=1');
  if (!given.some((flag) => /^--(no-)?(opt|turbofan)$|^--jitless$|^--max-opt\b/.test(flag))) flags.push('--no-opt');
  if (!given.some((flag) => /^--(no-)?optimize-for-size$/.test(flag))) flags.push('--optimize-for-size');
  return flags;
}

/** Sets serviceV8Flags() in this process; returns them. */
export function tuneV8ForService(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  const flags = serviceV8Flags(execArgv, nodeOptions);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
