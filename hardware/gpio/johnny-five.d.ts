// The parts of johnny-five and firmata-io the GPIO bridge uses (neither ships types).
declare module 'johnny-five' {
  import { EventEmitter } from 'node:events';

  export interface BoardOptions {
    io: unknown;
    repl?: boolean;
    debug?: boolean;
    sigint?: boolean;
    timeout?: number;
  }

  export class Board extends EventEmitter {
    constructor(options: BoardOptions);
    readonly isReady: boolean;
    readonly io: import('firmata-io').FirmataIO;
    readonly RESOLUTION: { ADC: number; PWM: number; DAC: number | null };
    readonly MODES: Record<string, number>;
    timer: NodeJS.Timeout | null;
    pinMode(pin: number, mode: number): this;
    digitalRead(pin: number, callback: (value: number) => void): this;
    analogRead(channel: number, callback: (value: number) => void): this;
    digitalWrite(pin: number, value: number): this;
    pwmWrite(pin: number, value: number): this;
  }

  const five: { Board: typeof Board };
  export default five;
}

declare module 'firmata-io' {
  import { EventEmitter } from 'node:events';

  export interface FirmataTransport extends EventEmitter {
    write(data: Buffer, callback?: (error?: Error | null) => void): unknown;
  }

  export interface FirmataPin {
    supportedModes: number[];
    analogChannel: number;
    mode?: number;
    value?: number;
  }

  export class FirmataIO extends EventEmitter {
    constructor(transport: FirmataTransport, options?: { reportVersionTimeout?: number; samplingInterval?: number });
    readonly isReady: boolean;
    readonly pins: FirmataPin[];
    readonly analogPins: number[];
    readonly firmware: { name?: string; version?: { major: number; minor: number } };
    readonly version: { major?: number; minor?: number };
    readonly MODES: { INPUT: number; OUTPUT: number; ANALOG: number; PWM: number; PULLUP: number };
    readonly reportVersionTimeoutId: NodeJS.Timeout | undefined;
    reportVersion(callback: () => void): void;
    queryFirmware(callback: () => void): void;
  }

  const bindTransport: ((transport: unknown) => typeof FirmataIO) & { Firmata: typeof FirmataIO };
  export default bindTransport;
}
