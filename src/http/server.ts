import Fastify, { LogController, type FastifyInstance, type FastifyError } from 'fastify';
import type { Logger } from 'pino';
import type { ServiceConfig } from '../config.ts';
import type { Store } from '../store/types.ts';
import type { TriggerCatalog } from '../pipeline/trigger-catalog.ts';
import type { OrgRegistry } from '../pipeline/orgs.ts';
import type { LiveBus } from '../pipeline/live.ts';
import type { IngestResult } from '../pipeline/ingest.ts';
import type { InteractionEvent } from '../domain/interaction.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { healthRoutes } from './routes/health.ts';
import { adminApiRoutes } from './routes/api.ts';
import { adminAuthRoutes } from './auth/routes.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { adminUiRoutes } from '../ui/serve.ts';
import { ctiRoutes } from '../cti/routes.ts';
import type { SourcesDeps } from './routes/api/sources.ts';

/** Everything the HTTP routes may use; each route plugin takes what it needs. */
export interface HttpDeps {
  config: ServiceConfig;
  store: Store;
  triggers: TriggerCatalog;
  orgs: OrgRegistry;
  live: LiveBus;
  logger: Logger;
  ingest: (events: InteractionEvent[], source: string) => Promise<IngestResult>;
  tokens: { admin: string; ingest: string };
  /** The configured AMI sources and the runner that keeps them connected. */
  sources: SourcesDeps;
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
    /** Set by whichever admin authentication accepted the request (API token, UI session). */
    isAdmin?: boolean;
  }
}

/** Ingest bodies: 500 events with transcripts fit; anything bigger is refused with 413 before parsing. */
export const BODY_LIMIT_BYTES = 5 * 1024 * 1024;

export async function buildServer(deps: HttpDeps): Promise<FastifyInstance> {
  // Fastify types a pino loggerInstance as its own logger type; the app is an ordinary FastifyInstance to plugins.
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'http' }),
    bodyLimit: BODY_LIMIT_BYTES,
    // One log line per request would drown the log at thousands of events per second.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;

  // Keep the raw bytes: the HMAC signature is over exactly what was sent.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    if ((body as Buffer).length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch (error) {
      const problem = Object.assign(new Error(`body is not valid JSON: ${(error as Error).message}`), { statusCode: 400, code: 'INVALID_JSON' });
      done(problem, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, Object.fromEntries(new URLSearchParams((body as Buffer).toString('utf8'))));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: 'PAYLOAD_TOO_LARGE', message: `request body exceeds ${BODY_LIMIT_BYTES} bytes: send fewer events per request (at most 500)` });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/json (or application/x-www-form-urlencoded to /ingest/xcally)' });
    }
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send({ error: error.code ?? 'ERROR', message: status >= 500 ? 'internal error; see the service log' : error.message });
  });

  await app.register(healthRoutes, deps);
  await app.register(ingestRoutes, deps);
  await app.register(adminApiRoutes, deps);
  await app.register(adminAuthRoutes, deps);
  await app.register(oauthRoutes, deps);
  await app.register(adminUiRoutes);
  await app.register(ctiRoutes, deps);
  return app;
}
