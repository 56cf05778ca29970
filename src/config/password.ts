/**
 * Reading a camera password from where the rig file says it is: an environment variable, or a
 * file that only its owner can read. Checked when the password is needed (a camera is opened,
 * or `zoomsync config check --passwords`), not when the file is loaded, so a rig file can be
 * checked on a machine that does not hold the secrets.
 */
import { readFile, stat } from 'node:fs/promises';
import { ConfigError } from '../../protocols/errors.js';
import { quote } from './problems.js';
import type { PasswordSource } from './types.js';

/**
 * The password, or a ConfigError whose one problem is at the key that names the source (e.g.
 * `blocks.0.http.passwordFile`) and says what to do. Never prints the password.
 */
export async function resolvePassword(source: PasswordSource, env: NodeJS.ProcessEnv, configFile?: string): Promise<string> {
  const refuse = (message: string, cause?: unknown): never => {
    throw new ConfigError([{ path: source.at, message }], configFile, { cause });
  };
  if (source.from === 'env') {
    const value = env[source.variable];
    if (value === undefined || value === '') {
      refuse(`environment variable ${source.variable} is ${value === undefined ? 'not set' : 'empty'} (expected the camera password in it: export ${source.variable}=...)`);
    }
    return value!;
  }

  let info;
  try {
    info = await stat(source.file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return refuse(`cannot read ${quote(source.file)}: ${reason} (expected a file holding the password, mode 0600)`, error);
  }
  if (!info.isFile()) refuse(`${quote(source.file)} is not a regular file (expected a file holding the password, mode 0600)`);
  // "0600 or stricter": no permission at all for the group or others
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    refuse(`${quote(source.file)} can be read by others (got mode ${octal(mode)}, expected 0600 or stricter: chmod 600 ${source.file})`);
  }
  let text: string;
  try {
    text = await readFile(source.file, 'utf8');
  } catch (error) {
    return refuse(`cannot read ${quote(source.file)}: ${(error as Error).message} (expected a file zoomsync's user can read, mode 0600)`, error);
  }
  // the first line is the password: an editor's trailing newline is not part of it
  const password = text.split(/\r?\n/)[0]!;
  if (password === '') refuse(`${quote(source.file)} is empty (expected the camera password on its first line)`);
  return password;
}

function octal(mode: number): string {
  return '0' + mode.toString(8).padStart(3, '0');
}
