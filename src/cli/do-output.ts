/**
 * What `zoomsync do` prints: per block what went out (frame or HTTP call) and the path, a
 * group's skew, where the blocks came to rest, readings — as text while it happens, or as one
 * JSON object at the end (--json).
 */
import type { CommandReport, HttpHaltOutcome } from '../devices/block-api.js';
import type { PelcoCommand } from '../../protocols/pelco/index.js';
import type { Rig } from '../rig/open-rig.js';
import { describeSent } from '../rig/sent.js';
import type { SettleResult } from '../rig/settle.js';
import { type CliIO, writeLine } from './command.js';

export interface Sent {
  report: CommandReport;
  command: PelcoCommand;
}

interface MemberLine {
  block: string;
  path: string;
  sent: string;
  value?: number;
  limited?: string;
  heldForReopen?: true;
  /** A stop that also halted the lens over HTTP (the block was zooming over its camera API). */
  httpHalt?: HttpHaltOutcome;
}

/** Text as it happens, or one JSON object at the end. */
export class DoOutput {
  private readonly result: Record<string, unknown>;

  constructor(
    private readonly io: CliIO,
    readonly json: boolean,
    head: { target: string; kind: 'block' | 'group'; command: string },
    private readonly rig: Rig,
  ) {
    this.result = { ...head };
  }

  sent(sends: Sent[], skewMs: number | undefined): void {
    const members = sends.map((s) => this.line(s));
    this.result.members = members;
    if (this.result.kind === 'group') this.result.skewMs = skewMs ?? null;
    if (this.json) return;
    for (const m of members) this.print(m, '');
    if (this.result.kind === 'group') writeLine(this.io.stdout, `skew ${skewMs === undefined ? 'n/a (no member sent a serial frame)' : `${skewMs.toFixed(3)} ms`}`);
  }

  stopped(sends: Sent[], skewMs?: number): void {
    const members = sends.map((s) => this.line(s));
    this.result.stop = { members, ...(skewMs !== undefined && { skewMs }) };
    if (!this.json) for (const m of members) this.print(m, '  (stop)');
  }

  arrived(names: string[], results: SettleResult[]): void {
    this.result.positions = Object.fromEntries(names.map((n, i) => [n, results[i]!.position ?? null]));
    if (this.json) return;
    names.forEach((n, i) => {
      const r = results[i]!;
      writeLine(this.io.stdout, `${n}  ${r.settled ? `at ${r.position}` : `not at rest: ${r.problem}`}`);
    });
  }

  reading(block: string, what: string, value: number, path: string): void {
    const readings = (this.result.readings ??= {}) as Record<string, unknown>;
    readings[block] = { [what]: value, path };
    if (!this.json) writeLine(this.io.stdout, `${block}  ${what} ${what === 'magnification' ? `${value}x` : value}  (${path})`);
  }

  saved(preset: string, positions: Readonly<Record<string, number>>): void {
    this.result.preset = preset;
    this.result.positions = positions;
    if (!this.json) writeLine(this.io.stdout, `saved ${preset}: ${Object.entries(positions).map(([b, v]) => `${b} ${v}`).join(', ')}`);
  }

  note(text: string): void {
    ((this.result.notes ??= []) as string[]).push(text);
    if (!this.json) writeLine(this.io.stdout, text);
  }

  ending(why: string): void {
    this.result.ending = why;
  }

  finish(): void {
    this.result.ending ??= 'done';
    if (this.json) writeLine(this.io.stdout, JSON.stringify(this.result));
  }

  private line({ report, command }: Sent): MemberLine {
    const config = this.rig.blockConfig(report.block);
    return {
      block: report.block,
      path: report.path,
      sent: describeSent(config, command, report),
      ...(report.value !== undefined && { value: report.value }),
      ...(report.limited !== undefined && { limited: report.limited }),
      ...(report.heldForReopen && { heldForReopen: true as const }),
      ...(report.httpHalt && { httpHalt: report.httpHalt }),
    };
  }

  private print(m: MemberLine, suffix: string): void {
    const halt = m.httpHalt && (m.httpHalt.problem === undefined ? `halted over http${m.httpHalt.zoom === undefined ? '' : ` at zoom ${m.httpHalt.zoom}`}` : `the http halt failed: ${m.httpHalt.problem}`);
    const notes = [m.limited, m.heldForReopen && 'held: the line is down; it goes out first when the line returns', halt].filter(Boolean);
    writeLine(this.io.stdout, `${m.block}  ${m.path}  ${m.sent}${suffix}${notes.length ? `  (${notes.join('; ')})` : ''}`);
  }
}
