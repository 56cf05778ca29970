/**
 * Pseudo-terminal pairs from socat: two connected serial-port-like devices, one for the
 * controller and one for a simulated device. The paths are stable symlinks in a private temp
 * folder, so a pair can be torn down and brought back (a "vanished" USB adapter that returns)
 * under the same names. A pair can also have a fixed path of the caller's choosing (`link`),
 * for scripts that must know where to point a controller before the simulator starts.
 *
 * A pair never outlives its process: if the process exits without close() (process.exit() on a
 * closed stdout pipe, an uncaught error), an exit hook ends its socat and removes its files.
 *
 * @example
 *   const pair = await PtyPair.open();
 *   // controller opens pair.controllerPath, the simulator opens pair.devicePath
 *   await pair.unplug(); await pair.replug(); await pair.close();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readlinkSync, rmSync } from 'node:fs';
import { mkdtemp, rename, rm, stat, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MissingToolError, PortBusyError, PortOpenFailedError } from '../../protocols/errors.js';

export interface PtyPairOptions {
  /**
   * A fixed path for the controller end: a symlink to controllerPath, made when the pair opens
   * and removed when it closes. Fails with ZS_PORT_BUSY when something is already there; a
   * dangling link (left by a simulator that was killed) is replaced.
   */
  link?: string;
}

/** Pairs not yet closed, for the exit hook. */
const openPairs = new Set<PtyPair>();
let exitHookInstalled = false;

export class PtyPair {
  private process: ChildProcess | undefined;
  /** The `link` option's path, once made. */
  private linkPath: string | undefined;

  private constructor(
    private readonly dir: string,
    /** The end a controller (SerialLine) opens. */
    readonly controllerPath: string,
    /** The end a simulated device opens. */
    readonly devicePath: string,
  ) {}

  static async open(options: PtyPairOptions = {}): Promise<PtyPair> {
    const dir = await mkdtemp(join(tmpdir(), 'zoomsync-pty-'));
    const pair = new PtyPair(dir, join(dir, 'controller'), join(dir, 'device'));
    openPairs.add(pair);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => openPairs.forEach((p) => p.closeSync()));
    }
    try {
      await pair.replug();
      if (options.link !== undefined) await pair.makeLink(resolve(options.link));
    } catch (error) {
      await pair.close();
      throw error;
    }
    return pair;
  }

  /** Where a controller should open this pair: the `link` path when one was asked for, else controllerPath. */
  get path(): string {
    return this.linkPath ?? this.controllerPath;
  }

  get connected(): boolean {
    return this.process !== undefined;
  }

  /** The pid of the socat process relaying between the two ends (undefined while unplugged). */
  get relayPid(): number | undefined {
    return this.process?.pid;
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
            ? new MissingToolError(
                'socat',
                'socat is not installed; it makes the pseudo-terminal pairs for simulated devices. Install it with: apt-get install -y socat',
                { cause: error },
              )
            : error,
        );
      });
      child.once('exit', (code) => reject(new MissingToolError('socat', `socat exited (${code}) before the ptys were ready: ${stderr.trim()}`)));
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
    openPairs.delete(this);
    await this.unplug();
    this.removeLink();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** close() for the exit hook, where nothing asynchronous runs any more: signal socat, remove the files. */
  private closeSync(): void {
    openPairs.delete(this);
    this.process?.kill('SIGTERM');
    this.process = undefined;
    this.removeLink();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async makeLink(path: string): Promise<void> {
    try {
      await symlink(this.controllerPath, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new PortOpenFailedError(path, `cannot make the link ${path}: ${(error as Error).message}`, { cause: error });
      }
      const live = await stat(path).then(() => true, () => false);
      if (live) {
        throw new PortBusyError(path, undefined, `${path} is taken (another simulator, or a file, is there); stop it or remove the path, or choose another`, { cause: error });
      }
      await unlink(path); // dangling: its simulator was killed before it could clean up
      await symlink(this.controllerPath, path);
    }
    this.linkPath = path;
  }

  /** Removes our link, unless someone has since put something else there. */
  private removeLink(): void {
    const path = this.linkPath;
    if (path === undefined) return;
    this.linkPath = undefined;
    try {
      if (readlinkSync(path) === this.controllerPath) rmSync(path, { force: true });
    } catch {
      // already gone
    }
  }
}

async function waitForPaths(paths: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const present = await Promise.all(paths.map((p) => stat(p).then(() => true, () => false)));
    if (present.every(Boolean)) return;
    if (Date.now() > deadline) throw new MissingToolError('socat', `socat did not create ${paths.join(' and ')} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
