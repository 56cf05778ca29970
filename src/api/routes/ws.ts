/**
 * /ws: live state and low-latency joystick moves.
 *
 * The first message must be `{type:'auth', token}` (a token in the URL would end up in logs and
 * proxies; a browser cannot set headers on a WebSocket). Then the server sends `hello` and a
 * `snapshot`, and from then on every change. Moves carry a dead-man lease held by this
 * connection: it is renewed by the next move or a `renew`; when it runs out the target is
 * stopped, and when the connection closes every target it kept moving is stopped at once.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { isZoomsyncError } from '../../../protocols/errors.js';
import { type Caller, roleAllows } from '../auth.js';
import { type ApiError, forbidden, toApiError, unauthorized, badRequest } from '../errors.js';
import { axesToMotion } from '../joystick.js';
import { WS_CLIENT_MESSAGE, type WsClientMessage } from '../schemas.js';
import type { ApiContext } from '../server.js';

/** Close codes: 4401 no or bad token (like HTTP 401). */
export const WS_CLOSE_UNAUTHORIZED = 4401;

let connections = 0;

export function wsRoutes(app: FastifyInstance, context: ApiContext): void {
  app.get('/ws', { websocket: true, schema: { hide: true } }, (socket: WebSocket, request) => {
    const holder = `ws:${++connections}`;
    let caller: Caller | undefined;
    let unsubscribe: (() => void) | undefined;
    const send = (message: object) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const fail = (error: ApiError, id?: string) => send({ type: 'error', ...(id !== undefined && { id }), error: { code: error.code, message: error.message } });

    socket.on('message', (data, isBinary) => {
      let message: WsClientMessage;
      try {
        if (isBinary) throw badRequest('binary message (expected JSON text)');
        const parsed = WS_CLIENT_MESSAGE.safeParse(JSON.parse(data.toString()));
        if (!parsed.success) throw badRequest(`bad message: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ')} (see docs/api.md, WebSocket)`);
        message = parsed.data;
      } catch (error) {
        const api = error instanceof SyntaxError ? badRequest('not JSON (expected one JSON object per message)') : toApiError(error);
        fail(api);
        if (!caller) socket.close(WS_CLOSE_UNAUTHORIZED, 'authenticate first');
        return;
      }
      if (!caller) {
        caller = message.type === 'auth' ? context.tokens.lookup(message.token) : undefined;
        if (!caller) {
          fail(unauthorized(message.type === 'auth' ? 'unknown token' : 'the first message must be {"type":"auth","token":"..."}'));
          socket.close(WS_CLOSE_UNAUTHORIZED, 'unauthorized');
          return;
        }
        request.log.info({ caller: caller.name, holder }, 'websocket authenticated');
        send({ type: 'hello', caller, leaseMs: context.motion.leaseMs });
        send(context.live.snapshot());
        unsubscribe = context.live.subscribe(send);
        return;
      }
      void handle(message, caller).catch((error: unknown) => {
        // a joystick streams moves: one replaced by the next before it left is the normal case
        if (message.type === 'move' && isZoomsyncError(error, 'ZS_CANCELLED')) return;
        fail(toApiError(error), 'id' in message ? message.id : undefined);
      });
    });

    socket.on('close', () => {
      unsubscribe?.();
      context.motion.release(holder); // stops, at once, whatever this connection kept moving
    });
    socket.on('error', () => {}); // 'close' follows; a broken client is no crash

    async function handle(message: WsClientMessage, who: Caller): Promise<void> {
      if (message.type === 'auth') throw badRequest('already authenticated');
      if (!roleAllows(who.role, 'operator')) throw forbidden(`token "${who.name}" is ${who.role}; ${message.type} needs an operator token`);
      if (message.type === 'renew') {
        context.motion.renew(holder, message.leaseMs);
        return;
      }
      const target = context.motion.resolve(message.target);
      if (message.type === 'stop') {
        await context.motion.stop(target, who);
      } else {
        const { type: _t, target: _target, leaseMs, id: _id, ...axes } = message;
        const planned = axesToMotion(axes);
        if (planned.kind === 'stop') await context.motion.stop(target, who);
        else await context.motion.move(target, planned.command, who, holder, leaseMs);
      }
      if (message.id !== undefined) send({ type: 'ok', id: message.id });
    }
  });
}
