/** `zoomsync serve --sim`: its argument rules, and the position poller that feeds the console. */
import { describe, expect, it } from 'vitest';
import { PositionPoller } from '../../../src/console/position-poller.js';
import { runCli } from '../../helpers/cli.js';

describe('zoomsync serve --sim', () => {
  it('refuses --sim together with --config (the sim brings its own rig), exit 2', async () => {
    const run = await runCli(['serve', '--sim', '--config', 'rig.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--sim brings its own rig: leave out --config/);
  });

  it('without --config points at --sim', async () => {
    const run = await runCli(['serve']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--config FILE is required \(the rig file\), or --sim/);
  });

  it('serve --help names the console and --sim', async () => {
    const run = await runCli(['serve', '--help']);
    expect(run.stdout).toMatch(/--sim\s+no hardware/);
    expect(run.stdout).toMatch(/\/\s+the web operator console/);
  });
});

describe('PositionPoller options', () => {
  it('refuses beats out of range with ZS_INVALID_ARGUMENT naming the field', () => {
    expect(() => new PositionPoller([], { idleMs: 5 })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: 'idleMs' }));
    expect(() => new PositionPoller([], { movingMs: 1.5 })).toThrow(expect.objectContaining({ field: 'movingMs' }));
    expect(() => new PositionPoller([], { focusEvery: 0 })).toThrow(expect.objectContaining({ field: 'focusEvery' }));
    new PositionPoller([], { idleMs: undefined }).close();
  });
});
