/**
 * The API server in front of a rig opened by openRig from a rig file with a gpio: section: a
 * simulated SZ-G10 on a pty, the Firmata board simulator on another pty (real johnny-five), the
 * rule engine running the file's rules. As `serve` builds it (rigHandle).
 */
import { Writable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { FirmataBoardSim } from '../../../../hardware/sim/firmata-board.js';
import { PtyPair } from '../../../../hardware/sim/pty-pair.js';
import { TokenBook } from '../../../../src/api/auth.js';
import { rigHandle } from '../../../../src/api/rig-handle.js';
import { buildApiServer } from '../../../../src/api/server.js';
import { loadRigConfig } from '../../../../src/config/index.js';
import { openRig, type Rig } from '../../../../src/rig/open-rig.js';
import { openRigBench, type RigBench } from '../../rig/rig-bench.js';
import { TOKENS } from './api-rig.js';

export interface GpioApiRig {
  url: string;
  wsUrl: string;
  app: FastifyInstance;
  bench: RigBench;
  board: FirmataBoardSim;
  pair: PtyPair;
  rig: Rig;
  /** What the rig itself logged (board changes, rule errors, factory resets). */
  rigLog: string[];
  logText(): string;
  close(): Promise<void>;
}

const RIG = `
lines: [{ name: bus1, port: $LINE0 }]
blocks: [{ name: left, line: bus1, address: 1 }]
gpio:
  port: $GPIO
  alarmInputs: [{ name: door, pin: 2, debounceMs: 10 }]
  alarmOut: { pin: 4, block: left }
  irPwm: { pin: 9, block: left }
  factoryReset: { pin: 8, block: left, pulseMs: 100 }
rules:
  - { name: door, when: { alarm: door }, then: [{ block: left, zoomTo: 400 }] }
`;

export async function openGpioApiRig(): Promise<GpioApiRig> {
  const bench = await openRigBench(1, [{ name: 'left', line: 0, address: 1 }]);
  const pair = await PtyPair.open();
  const board = await FirmataBoardSim.open(pair.devicePath, { referenceVolts: 3.3 });
  const rigLog: string[] = [];
  const rig = await openRig(await loadRigConfig(await bench.writeRig(RIG.replace('$GPIO', pair.controllerPath))), {
    devices: { line: { reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, presenceCheckMs: 50, onWarning: () => {} } },
    gpio: { reconnect: { initialDelayMs: 30, maxDelayMs: 100 }, presenceCheckMs: 50, onWarning: () => {} },
    log: (message) => rigLog.push(message),
  });
  let logs = '';
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => ((logs += String(chunk)), done()) }));
  const tokens = new TokenBook({
    version: 1,
    tokens: [
      { name: 'admin', role: 'admin', token: TOKENS.admin },
      { name: 'op', role: 'operator', token: TOKENS.op },
      { name: 'dashboard', role: 'read', token: TOKENS.read },
    ],
  });
  const app = await buildApiServer({ rig: rigHandle(rig), tokens, blockLines: new Map([['left', 'bus1']]), logger: logger as FastifyBaseLogger });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    app,
    bench,
    board,
    pair,
    rig,
    rigLog,
    logText: () => logs,
    async close() {
      await app.close();
      await rig.close();
      await board.close();
      await pair.close();
      await bench.close();
    },
  };
}
