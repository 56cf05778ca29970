/** What `zoomsync do` prints for a stop that also halted the lens over HTTP (the fallback path). */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SZ_G10_PROFILE } from '../../../protocols/pelco/index.js';
import type { CliIO } from '../../../src/cli/command.js';
import { DoOutput } from '../../../src/cli/do-output.js';
import type { Rig } from '../../../src/rig/open-rig.js';

// DoOutput reads only blockConfig() of the rig: how a block's frames are encoded.
const rig = { blockConfig: () => ({ pelcoDialect: 'D', address: 1, profile: SZ_G10_PROFILE }) } as unknown as Rig;

function output(json: boolean): { out: DoOutput; text: () => string } {
  const stdout = new PassThrough().setEncoding('utf8');
  let text = '';
  stdout.on('data', (chunk: string) => (text += chunk));
  const io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, interrupted: new Promise<void>(() => {}) } as CliIO;
  return { out: new DoOutput(io, json, { target: 'left', kind: 'block', command: 'set-zoom 900' }, rig), text: () => text };
}

const stop = { kind: 'stop' } as const;

describe('do output of a stop on the HTTP path', () => {
  it('says the lens was halted over http, and where', () => {
    const { out, text } = output(false);
    out.stopped([{ command: stop, report: { block: 'left', path: 'serial', sentAt: undefined, heldForReopen: true, carriedBy: ['serial', 'http'], httpHalt: { zoom: 412 } } }]);
    expect(text()).toMatch(/^left {2}serial {2}FF 01 00 00 00 00 01 {2}\(stop\) {2}\(held: the line is down; .*; halted over http at zoom 412\)$/m);
  });

  it('says when the http halt failed, and --json carries it', () => {
    const text = output(false);
    text.out.stopped([{ command: stop, report: { block: 'left', path: 'serial', sentAt: undefined, heldForReopen: true, carriedBy: ['serial'], httpHalt: { problem: 'the camera did not answer' } } }]);
    expect(text.text()).toContain('the http halt failed: the camera did not answer');
    const json = output(true);
    json.out.stopped([{ command: stop, report: { block: 'left', path: 'serial', sentAt: undefined, carriedBy: ['serial', 'http'], httpHalt: { zoom: 7 } } }]);
    json.out.finish();
    expect(JSON.parse(json.text()).stop.members[0].httpHalt).toEqual({ zoom: 7 });
  });
});
