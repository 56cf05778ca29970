import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../protocols/errors.js';
import { resolvePassword, type PasswordSource } from '../../../src/config/index.js';

const AT = 'blocks.0.http.passwordFile';

async function refusal(source: PasswordSource, env: NodeJS.ProcessEnv = {}): Promise<ConfigError> {
  const error = await resolvePassword(source, env, 'rig.yaml').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('resolvePassword', () => {
  let dir: string;
  const file = (name: string): PasswordSource => ({ from: 'file', file: join(dir, name), at: AT });
  const write = async (name: string, text: string, mode: number) => {
    await writeFile(join(dir, name), text);
    await chmod(join(dir, name), mode);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zs-password-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads an environment variable', async () => {
    expect(await resolvePassword({ from: 'env', variable: 'LEFT_PW', at: 'blocks.0.http.passwordEnv' }, { LEFT_PW: 's3cret' })).toBe('s3cret');
  });

  it('refuses an unset or empty variable, pointing at the key and saying how to set it', async () => {
    const source: PasswordSource = { from: 'env', variable: 'LEFT_PW', at: 'blocks.0.http.passwordEnv' };
    const unset = await refusal(source);
    expect(unset.problems).toEqual([{ path: 'blocks.0.http.passwordEnv', message: expect.stringMatching(/LEFT_PW is not set .*export LEFT_PW=/) }]);
    expect(unset.file).toBe('rig.yaml');
    expect((await refusal(source, { LEFT_PW: '' })).problems[0]!.message).toMatch(/LEFT_PW is empty/);
  });

  it('reads the first line of a 0600 or 0400 file, without its newline', async () => {
    await write('rw.pw', 's3cret\n', 0o600);
    await write('ro.pw', 'other\r\nsecond line\n', 0o400);
    expect(await resolvePassword(file('rw.pw'), {})).toBe('s3cret');
    expect(await resolvePassword(file('ro.pw'), {})).toBe('other');
  });

  it.each([0o644, 0o640, 0o604, 0o660])('refuses a file of mode %o that others can read, naming the mode and the chmod', async (mode) => {
    await write('open.pw', 's3cret\n', mode);
    const error = await refusal(file('open.pw'));
    expect(error.problems).toEqual([{ path: AT, message: expect.stringContaining(`got mode 0${mode.toString(8)}, expected 0600 or stricter: chmod 600 ${join(dir, 'open.pw')}`) }]);
    expect(error.message).not.toContain('s3cret');
  });

  it('refuses a missing file, a directory and an empty file', async () => {
    expect((await refusal(file('missing.pw'))).problems[0]!.message).toMatch(/no such file/);
    await mkdir(join(dir, 'folder.pw'), { mode: 0o700 });
    expect((await refusal(file('folder.pw'))).problems[0]!.message).toMatch(/not a regular file/);
    await write('empty.pw', '\n', 0o600);
    expect((await refusal(file('empty.pw'))).problems[0]!.message).toMatch(/is empty/);
  });
});
