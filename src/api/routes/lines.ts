/** GET /api/lines: every serial port of the rig with its counters. */
import type { ApiContext, ZodApp } from '../server.js';
import { lineView } from '../views.js';

export function lineRoutes(app: ZodApp, { rig }: ApiContext): void {
  app.get('/lines', { schema: { summary: 'Serial lines and their counters (frames sent, superseded, timeouts, checksum errors …)', tags: ['lines'] } }, async () => ({
    lines: rig.lines.lines.map(lineView),
  }));
}
