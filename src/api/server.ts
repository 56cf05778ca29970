/**
 * The API server: fastify 5, zod schemas (fastify-type-provider-zod) for every request and for
 * /openapi.json, bearer-token auth, /metrics, and the WebSocket at /ws.
 *
 * @example
 *   const api = await startApiServer({ rig, tokens, blockLines, logger });
 *   await api.listen({ host: '127.0.0.1', port: 8080 });
 *   ...
 *   await api.close();   // WebSockets closed (their motion stopped), leases ended
 */
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Caller, bearerToken, type Role, roleAllows, type TokenBook } from './auth.js';
import { ApiError, badRequest, errorBody, forbidden, notFound, toApiError, unauthorized } from './errors.js';
import { LiveEvents } from './live.js';
import { ApiMetrics } from './metrics.js';
import { MotionControl } from './motion.js';
import type { RigHandle } from './rig-handle.js';
import { blockRoutes } from './routes/blocks.js';
import { gpioRoutes } from './routes/gpio.js';
import { groupRoutes } from './routes/groups.js';
import { lineRoutes } from './routes/lines.js';
import { wsRoutes } from './routes/ws.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | undefined;
  }
  interface FastifyContextConfig {
    /** The least role a route needs; default read for GET, operator otherwise. */
    role?: Role;
    /** No token needed (the OpenAPI document). */
    public?: boolean;
  }
}

export interface ApiServerOptions {
  rig: RigHandle;
  tokens: TokenBook;
  /** block name -> its line's name (for per-block counters). */
  blockLines: ReadonlyMap<string, string>;
  /** A pino logger (redacting credentials); default silent. */
  logger?: FastifyBaseLogger;
  /** Dead-man lease default, ms. Default 300. */
  leaseMs?: number;
  /** How often the WebSocket gets line counters, ms. Default 1000. */
  countersEveryMs?: number;
}

/** What the routes share. */
export interface ApiContext {
  rig: RigHandle;
  motion: MotionControl;
  metrics: ApiMetrics;
  live: LiveEvents;
  tokens: TokenBook;
  blockLines: ReadonlyMap<string, string>;
}

export type ZodApp = FastifyInstance<any, any, any, FastifyBaseLogger, ZodTypeProvider>;

export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    // fastify's own two lines per request are replaced by one (onResponse below)
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // a request that stalls must not hold the service: clients are operators on a LAN
    requestTimeout: 30_000,
    // the router's own refusals (a path parameter over maxParamLength, a bad URL encoding) in our error shape
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void (reply as unknown as FastifyReply).status(status).send(errorBody(new ApiError(status, 'ZS_INVALID_ARGUMENT', `${error.message} (names are at most 32 characters)`)));
    },
    // Every schema is zod (setValidatorCompiler below). Without these factories fastify would
    // require its default compilers (ajv, fast-json-stringify) only to replace them: ~35 ms of each start.
    schemaController: { compilersFactory: { buildValidator: (() => validatorCompiler) as never, buildSerializer: (() => serializerCompiler) as never } },
  });
  const motion = new MotionControl(options.rig, { leaseMs: options.leaseMs });
  const metrics = new ApiMetrics(options.rig, { blockLines: options.blockLines });
  const live = new LiveEvents(options.rig, motion, { countersEveryMs: options.countersEveryMs ?? 1000, blockLines: options.blockLines });
  const context: ApiContext = { rig: options.rig, motion, metrics, live, tokens: options.tokens, blockLines: options.blockLines };

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorateRequest('caller', undefined);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const api = requestError(error);
    if (api.status >= 500) request.log.error({ err: error }, 'request failed');
    if (api.status === 401) void reply.header('www-authenticate', 'Bearer realm="zoomsync"');
    void reply.status(api.status).send(errorBody(api));
  });
  app.setNotFoundHandler((request, reply) => {
    const api = notFound(`no route ${request.method} ${request.url.split('?')[0]} (GET /openapi.json lists the routes)`);
    void reply.status(api.status).send(errorBody(api));
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config?.public || request.routeOptions.url === '/ws' || request.routeOptions.url === undefined) return;
    const caller = options.tokens.lookup(bearerToken(request.headers.authorization));
    if (!caller) throw unauthorized();
    const needed = config?.role ?? (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'operator');
    if (!roleAllows(caller.role, needed)) throw forbidden(`token "${caller.name}" is ${caller.role}; ${request.method} ${request.routeOptions.url} needs an ${needed} token`);
    request.caller = caller;
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.countRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode);
    // One line per request. Reads only at debug: a console or a dashboard polls, and on a Pi the
    // journal should hold what changed (moves, settings) and who did it, not every state read.
    const read = request.method === 'GET' || request.method === 'HEAD';
    request.log[read ? 'debug' : 'info'](
      { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, caller: request.caller?.name },
      `${request.method} ${request.url.split('?')[0]} ${reply.statusCode}`,
    );
  });
  app.addHook('onClose', async () => {
    live.close();
    motion.close();
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'zoomsync', description: 'Zoom blocks, sync groups and serial lines of one rig. See docs/api.md.', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });

  const zapp = app.withTypeProvider<ZodTypeProvider>();
  zapp.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  zapp.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['meta'] } }, async (_request, reply) => {
    void reply.header('content-type', metrics.contentType);
    return metrics.text();
  });
  await app.register(async (api) => {
    const z = api.withTypeProvider<ZodTypeProvider>();
    lineRoutes(z, context);
    blockRoutes(z, context);
    groupRoutes(z, context);
    gpioRoutes(z, context);
  }, { prefix: '/api' });
  await app.register(async (ws) => wsRoutes(ws, context));
  return app;
}

/** Any error a request can meet, as the API's status and code; never a 500 for a client's mistake. */
function requestError(error: FastifyError): ApiError {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    const problems = error.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return `${where}${path ? `.${path}` : ''}: ${v.message}`;
    });
    return badRequest(`${problems.join('; ')} (GET /openapi.json has the shape of every request)`);
  }
  if (error instanceof ApiError || (error as { code?: string }).code?.startsWith('ZS_')) return toApiError(error);
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // fastify's own refusals: bad JSON, wrong content type, body too large
    const hint = status === 415 ? ' (send JSON with content-type: application/json)' : status === 413 ? ' (bodies are at most 64 KiB)' : '';
    return new ApiError(status, status === 401 ? 'ZS_UNAUTHORIZED' : 'ZS_INVALID_ARGUMENT', `${error.message}${hint}`);
  }
  return toApiError(error);
}
