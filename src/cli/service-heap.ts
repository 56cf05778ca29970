/**
 * The long-running service's heap: V8's young generation stays at its initial semi-space
 * (1 MiB) instead of growing to 16 MiB each under load. The service's garbage is small and
 * short-lived (a request, a joystick message), so the scavenges stay short; bench:service
 * measured ~20-30 MiB less RSS after its runs, with the joystick -> frame p99 unchanged.
 *
 * Set at run time, before the service's libraries load (their loading alone grew the young
 * generation to 16 MiB): V8 reads the growth factor each time it would grow the space, whereas
 * --max-semi-space-size given at run time changes nothing (checked on node 20). That keeps the
 * plain `node dist/src/cli/bin.js serve` lean without a re-exec. A node flag about the young
 * generation given by the operator (NODE_OPTIONS=--max-semi-space-size=N) wins.
 */
import { setFlagsFromString } from 'node:v8';

export function keepYoungGenerationSmall(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  const operatorChose = [...execArgv, ...nodeOptions.split(/\s+/)].some((flag) => /^--(max|min)[-_]semi[-_]space[-_]size|^--semi[-_]space[-_]growth[-_]factor/.test(flag));
  if (operatorChose) return false;
  setFlagsFromString('--semi-space-growth-factor=1');
  return true;
}
