/**
 * What a command put on the wire for one block, in words a person can check against a line
 * monitor or a camera's access log: the PELCO frame as hex, or the HTTP call.
 */
import { requests as szg10Requests } from '../../protocols/http/szg10/api.js';
import { encode, type PelcoCommand, toHex } from '../../protocols/pelco/index.js';
import type { BlockConfig } from '../config/types.js';
import type { CommandReport } from '../devices/block-api.js';

/**
 * `command` is what the block was asked to do; for an absolute zoom the report's value (after
 * soft limits or calibration) is what went out, so the frame is built with it.
 */
export function describeSent(block: BlockConfig, command: PelcoCommand, report: CommandReport): string {
  const sent: PelcoCommand = command.kind === 'set-zoom' && report.value !== undefined ? { kind: 'set-zoom', position: report.value } : command;
  if (report.path === 'serial') return toHex(encode(sent, { dialect: block.pelcoDialect, address: block.address, profile: block.profile }));
  // Over HTTP a block only ever zooms to a position (the lens fallback).
  const position = sent.kind === 'set-zoom' ? sent.position : report.value;
  const http = block.http;
  if (!http) return `http zoom to ${position}`;
  if (http.dialect === 'szg10' && position !== undefined) {
    const request = szg10Requests.zoomPosition(position);
    return `${request.method} ${http.url.replace(/\/$/, '')}${request.path} ${request.body ?? ''}`.trimEnd();
  }
  return `${http.dialect} zoom to ${position} at ${http.url}`;
}
