import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the repository starts; child processes run from here. */
export const ROOT = new URL('../../', import.meta.url);
const REGISTER = new URL('./ts-register.mjs', import.meta.url).pathname;

export interface TracedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every module the process loaded: file URLs and node: builtins. */
  modules: string[];
}

/** Starts node on zoomsync's TypeScript sources (`args` as after `node`), from the repository root. */
export function spawnSource(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', REGISTER, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
}

/**
 * Runs node on zoomsync's TypeScript sources in a fresh process (`args` as after `node`, e.g.
 * ['src/cli/bin.ts', '--help'] or ['--input-type=module', '-e', code]) and reports which modules
 * it loaded: a test can see that a command or an entry point stays clear of heavy libraries.
 */
export async function runTraced(args: string[], options: { stdin?: string } = {}): Promise<TracedRun> {
  const dir = await mkdtemp(join(tmpdir(), 'zoomsync-trace-'));
  const traceFile = join(dir, 'modules');
  try {
    const child = spawnSource(args, { ZS_TRACE_FILE: traceFile });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.stdin ?? '');
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const modules = (await readFile(traceFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    return { code, stdout, stderr, modules };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The heavy libraries among `modules` (by package name), deduplicated. */
export function heavyLibraries(modules: readonly string[]): string[] {
  const names = modules.map((url) => /\/node_modules\/((?:@serialport\/)?[^/]+)\//.exec(url)?.[1]).filter((name) => name !== undefined);
  return [...new Set(names.filter((name) => /^(serialport|@serialport\/.*|undici|zod)$/.test(name)))];
}
