/**
 * Pseudo-terminal pairs from socat: two connected serial-port-like devices, one for the
 * controller and one for a simulated device. The paths are stable symlinks in a private temp
 * folder, so a pair can be torn down and brought back (a "vanished" USB adapter that returns)
 * under the same names.
 *
 * @example
 *   const pair = await PtyPair.open();
 *   // controller opens pair.controllerPath, the simulator opens pair.devicePath
 *   await pair.unplug(); await pair.replug(); await pair.close();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZoomsyncError } from '../../protocols/errors.js';

export class PtyPair {
  private process: ChildProcess | undefined;

  private constructor(
    private readonly dir: string,
    /** The end a controller (SerialLine) opens. */
    readonly controllerPath: string,
    /** The end a simulated device opens. */
    readonly devicePath: string,
  ) {}

  static async open(): Promise<PtyPair> {
    const dir = await mkdtemp(join(tmpdir(), 'zoomsync-pty-'));
    const pair = new PtyPair(dir, join(dir, 'controller'), join(dir, 'device'));
    try {
      await pair.replug();
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return pair;
  }

  get connected(): boolean {
    return this.process !== undefined;
  }

  /** Ends socat: both ends vanish, as when a USB adapter is pulled. */
  async unplug(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    await Promise.all([this.controllerPath, `${this.controllerPath}.pending`, this.devicePath].map((path) => rm(path, { force: true })));
  }

  /**
   * Starts socat (again) and waits until both symlinks exist.
   *
   * Bytes written to one end while nobody has the other end open are lost (the pty drops them).
   * A reconnecting controller could grab its end before a simulator has reopened the device end
   * and lose its first frames; `openDevice` closes that race: it runs while only the device path
   * exists, and the controller path appears after it.
   */
  async replug(openDevice?: (devicePath: string) => Promise<unknown>): Promise<void> {
    if (this.process) return;
    const controllerLink = openDevice ? `${this.controllerPath}.pending` : this.controllerPath;
    const child = spawn(
      'socat',
      [`pty,raw,echo=0,link=${controllerLink}`, `pty,raw,echo=0,link=${this.devicePath}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'ENOENT'
            ? new ZoomsyncError(
                'ZS_MISSING_TOOL',
                'socat is not installed; it makes the pseudo-terminal pairs for simulated devices. Install it with: apt-get install -y socat',
                { cause: error },
              )
            : error,
        );
      });
      child.once('exit', (code) => reject(new ZoomsyncError('ZS_MISSING_TOOL', `socat exited (${code}) before the ptys were ready: ${stderr.trim()}`)));
    });
    this.process = child;
    try {
      await Promise.race([failed, waitForPaths([controllerLink, this.devicePath], 5000)]);
      if (openDevice) {
        await openDevice(this.devicePath);
        await rename(controllerLink, this.controllerPath);
      }
    } catch (error) {
      this.process = undefined;
      child.kill('SIGKILL');
      throw error;
    }
    failed.catch(() => {}); // later exits are expected (unplug)
  }

  async close(): Promise<void> {
    await this.unplug();
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function waitForPaths(paths: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const present = await Promise.all(paths.map((p) => stat(p).then(() => true, () => false)));
    if (present.every(Boolean)) return;
    if (Date.now() > deadline) throw new ZoomsyncError('ZS_MISSING_TOOL', `socat did not create ${paths.join(' and ')} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
