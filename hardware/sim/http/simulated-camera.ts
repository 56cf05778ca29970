/**
 * What every simulated HTTP camera shares: its loopback server, `start()` to make one and listen,
 * its URL, and `close()`. Each dialect's simulator extends it and builds its own SimServer.
 */
import type { SimServer } from './sim-server.js';

export abstract class SimulatedCamera {
  abstract readonly server: SimServer;

  /** Makes a simulator of this class and starts it listening on loopback. */
  static async start<O, T extends SimulatedCamera>(this: new (options?: O) => T, options?: O): Promise<T> {
    const sim = new this(options);
    await sim.server.listen();
    return sim;
  }

  get url(): string {
    return this.server.url;
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
