import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/registry.js';
import { runCli } from '../../helpers/cli.js';

// Generated from the registry: a command added there is covered here without another line.
describe('zoomsync --help', () => {
  it('lists every command in the registry with its summary', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const entry of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${entry.name} +${entry.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  for (const entry of COMMANDS) {
    it(`zoomsync ${entry.name} --help exits 0 and prints its Usage line`, async () => {
      const run = await runCli([entry.name, '--help']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^Usage: zoomsync ${entry.name}\\b`));
    });

    it(`zoomsync help ${entry.name} prints the same help, from a module named ${entry.name}`, async () => {
      expect((await entry.load()).name).toBe(entry.name);
      expect((await runCli(['help', entry.name])).stdout).toBe((await runCli([entry.name, '-h'])).stdout);
    });
  }
});
