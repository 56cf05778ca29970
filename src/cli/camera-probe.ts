/**
 * `zoomsync camera --url URL probe`: which dialect does an unknown camera speak? Every
 * registry entry with a probe asks its own harmless, credential-free question (see
 * src/devices/http/dialect-probes.ts); no login is tried, so no lockout can be provoked.
 */
import { isZoomsyncError } from '../../protocols/errors.js';
import type { DialectName } from '../../protocols/http/common/capabilities.js';
import { CameraClient, type CameraClientOptions } from '../devices/http/camera-client.js';
import { DIALECT_REGISTRY } from '../devices/http/registry.js';

export interface DialectProbeReport {
  dialect: DialectName;
  /** 0–1; undefined when the dialect has no probe yet. */
  confidence: number | undefined;
  evidence: string;
}

export interface ProbeOutcome {
  /** The dialect that answered most surely (undefined: none did). */
  dialect: DialectName | undefined;
  reports: DialectProbeReport[];
}

/**
 * Asks each dialect's probe in turn, one at a time (embedded web servers like few
 * connections). A camera that cannot be reached at all fails the whole probe; any other
 * error is that dialect's evidence.
 */
export async function probeCamera(options: CameraClientOptions): Promise<ProbeOutcome> {
  const http = new CameraClient({ ...options, retries: options.retries ?? 0 });
  const reports: DialectProbeReport[] = [];
  try {
    for (const entry of DIALECT_REGISTRY) {
      if (!entry.probe) {
        reports.push({ dialect: entry.name, confidence: undefined, evidence: 'no probe for this dialect yet' });
        continue;
      }
      try {
        const r = await entry.probe(http);
        reports.push({ dialect: entry.name, confidence: r.confidence, evidence: r.evidence });
      } catch (error) {
        if (isZoomsyncError(error, 'ZS_HTTP_CONNECT') || isZoomsyncError(error, 'ZS_HTTP_TLS')) throw error;
        reports.push({ dialect: entry.name, confidence: 0, evidence: (error as Error).message });
      }
    }
  } finally {
    await http.close();
  }
  const best = reports.reduce<DialectProbeReport | undefined>((a, r) => ((r.confidence ?? 0) > (a?.confidence ?? 0) ? r : a), undefined);
  return { dialect: best?.dialect, reports };
}

export function probeText(outcome: ProbeOutcome): string[] {
  return [
    ...outcome.reports.map((r) => `${r.dialect}: ${r.confidence === undefined ? 'not probed' : r.confidence > 0 ? `answers (confidence ${r.confidence})` : 'no'} — ${r.evidence}`),
    outcome.dialect ? `dialect: ${outcome.dialect}` : 'dialect: none of the known dialects answered',
  ];
}
