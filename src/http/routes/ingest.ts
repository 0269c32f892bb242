import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as metrics from '../../metrics.ts';
import { parseIngestBody, verifyBearer, verifyHmacSignature, type RejectedEvent } from '../../sources/webhook.ts';
import { mapXcallyPayload } from '../../sources/xcally.ts';
import type { InteractionEvent } from '../../domain/interaction.ts';
import type { HttpDeps } from '../server.ts';

/** Bearer token, or an HMAC-SHA256 of the raw body keyed with the same token. */
function authorized(request: FastifyRequest, token: string): boolean {
  const signature = request.headers['x-ctibridge-signature'];
  if (typeof signature === 'string') return verifyHmacSignature(request.rawBody ?? Buffer.alloc(0), signature, token);
  return verifyBearer(request.headers.authorization, [token]);
}

function unauthorized(reply: FastifyReply) {
  return reply
    .code(401)
    .header('www-authenticate', 'Bearer realm="ctibridge-ingest"')
    .send({ error: 'UNAUTHORIZED', message: 'send "Authorization: Bearer <ingest token>" or "X-Ctibridge-Signature: sha256=<hex HMAC-SHA256 of the body>"' });
}

export async function ingestRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  async function accept(reply: FastifyReply, source: string, events: InteractionEvent[], rejected: RejectedEvent[]) {
    if (rejected.length) metrics.eventsRejected.inc({ source }, rejected.length);
    if (events.length === 0) {
      return reply.code(400).send({ error: 'INVALID_EVENTS', message: 'no valid event in the request; nothing was stored', rejected });
    }
    const result = await deps.ingest(events, source);
    return reply.code(202).send({ accepted: result.accepted.length, duplicates: result.duplicates.length, ...(rejected.length ? { rejected } : {}) });
  }

  app.post('/ingest/events', async (request, reply) => {
    if (!authorized(request, deps.tokens.ingest)) return unauthorized(reply);
    const { events, rejected } = parseIngestBody(request.body);
    return accept(reply, 'webhook', events, rejected);
  });

  app.post('/ingest/xcally', async (request, reply) => {
    if (!authorized(request, deps.tokens.ingest)) return unauthorized(reply);
    const body = request.body;
    const payloads = Array.isArray(body) ? body : [body];
    const events: InteractionEvent[] = [];
    const rejected: RejectedEvent[] = [];
    payloads.forEach((payload, index) => {
      if (!payload || typeof payload !== 'object') {
        rejected.push({ index, errors: [{ field: 'body', message: 'body must be a JSON object or a form of Motion variables' }] });
        return;
      }
      const mapped = mapXcallyPayload(payload as Record<string, unknown>, { receivedAt: new Date(), defaultRegion: deps.config.defaultRegion });
      if (mapped.ok) events.push(mapped.event);
      else rejected.push({ index, errors: mapped.errors });
    });
    return accept(reply, 'xcally', events, rejected);
  });
}
