/**
 * RS-485 direction switching: puts the transceiver into transmit before a frame and back into
 * receive after it.
 *
 * serialport v13 has no way to use the kernel's own RS-485 mode (TIOCSRS485): neither
 * @serialport/bindings-interface's OpenOptions nor its SetOptions carry rs485 settings, and the
 * maintainers declined it (node-serialport issue #903). So 'rts' mode toggles RTS from user space
 * through port.set(), which is as good as the turnaround time allows.
 */
import type { DirectionControl } from './line-options.js';

export interface DirectionSwitch {
  /** true before the first byte goes out, false once the frame has drained and turned around. */
  transmit(on: boolean): Promise<void>;
}

/**
 * The switch for a line's direction mode, or undefined when the adapter switches by itself.
 *
 * @param setRts raises or drops the port's RTS line
 * @param warn   told once, if RTS cannot be driven (a pty, or an adapter without RTS)
 */
export function directionSwitch(
  direction: DirectionControl,
  setRts: (on: boolean) => Promise<void>,
  warn: (message: string, cause: unknown) => void,
): DirectionSwitch | undefined {
  switch (direction.mode) {
    case 'auto':
      return undefined;
    case 'gpio':
      return { transmit: async (on) => direction.setTransmit(on) };
    case 'rts': {
      let available = true;
      return {
        async transmit(on) {
          if (!available) return;
          try {
            await setRts(on);
          } catch (error) {
            available = false;
            warn(
              `RTS cannot be driven on this port (${(error as Error).message}); writing without switching direction. ` +
                "Use direction mode 'auto' for an adapter that switches by itself, or 'gpio' for a DE/RE pin on a GPIO",
              error,
            );
          }
        },
      };
    }
  }
}
