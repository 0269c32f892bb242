import type { FastifyInstance, FastifyReply } from 'fastify';
import { accountSchema, SECRET_FIELDS, type AccountConfig } from '../../domain/account.ts';
import { interactionEventSchema } from '../../domain/interaction.ts';
import { validateTrigger } from '../../domain/trigger.ts';
import { maskTriggerSecrets, restoreTriggerSecrets } from '../../domain/trigger-secrets.ts';
import { describeIssues } from '../../sources/webhook.ts';
import { dryRunTrigger } from '../../pipeline/dry-run.ts';
import { replayEvents } from '../../pipeline/replay.ts';
import { runDoctor } from '../../salesforce/doctor.ts';
import type { JobState } from '../../store/types.ts';
import type { HttpDeps } from '../server.ts';
import { guardAdminRequest } from '../auth/guard.ts';
import { adminUserRoutes } from './api/admin.ts';
import { agentRoutes } from './api/agents.ts';
import { connectRoutes } from './api/connect.ts';
import { deliveryRoutes } from './api/deliveries.ts';
import { describeRoutes } from './api/describe.ts';
import { baseUrlsByAccount, jobRecord } from './api/links.ts';
import { openApiRoutes } from './api/openapi.ts';
import { settingsRoutes } from './api/settings.ts';
import { sourceRoutes } from './api/sources.ts';
import { quotaByAccount, statsRoutes } from './api/stats.ts';
import { triggerExtraRoutes } from './api/triggers.ts';

/** An account as the API shows it: every secret replaced by whether it is set. */
export function publicAccount(config: AccountConfig): Record<string, unknown> {
  const auth: Record<string, unknown> = { ...config.auth };
  for (const field of SECRET_FIELDS) if (field in auth) auth[field] = { set: Boolean(auth[field]) };
  return { ...config, auth };
}

/** Secrets are write-only: an update that leaves a secret out keeps the stored one. */
function mergeSecrets(incoming: Record<string, unknown>, stored: AccountConfig | undefined): Record<string, unknown> {
  if (!stored || typeof incoming.auth !== 'object' || incoming.auth === null) return incoming;
  const auth = { ...(incoming.auth as Record<string, unknown>) };
  if (auth.flow === stored.auth.flow) {
    for (const field of SECRET_FIELDS) {
      if ((auth[field] === undefined || auth[field] === '') && field in stored.auth) auth[field] = (stored.auth as Record<string, unknown>)[field];
    }
  }
  return { ...incoming, auth };
}

function badRequest(reply: FastifyReply, error: string, message: string, details?: unknown) {
  return reply.code(400).send({ error, message, ...(details ? { details } : {}) });
}

export async function adminApiRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const { store, triggers, orgs } = deps;

  // Every /api route: cross-site and form posts 403, then bearer token or UI session (+ CSRF token), else 401.
  // The root-level guard of auth/routes.ts normally ran already; this keeps the API closed if it is not registered.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/') || request.isAdmin) return;
    await guardAdminRequest(request, reply, { store, adminToken: deps.tokens.admin, publicUrl: deps.config.publicUrl });
  });

  // Accounts
  app.get('/api/accounts', async () => (await store.accounts.list()).map((a) => publicAccount(a.config)));
  app.get<{ Params: { name: string } }>('/api/accounts/:name', async (request, reply) => {
    const stored = await store.accounts.get(request.params.name);
    return stored ? publicAccount(stored.config) : reply.code(404).send({ error: 'NOT_FOUND', message: `no account named "${request.params.name}"` });
  });
  const saveAccount = async (body: unknown, reply: FastifyReply, existingName?: string) => {
    const stored = existingName ? (await store.accounts.get(existingName))?.config : undefined;
    if (existingName && !stored) return reply.code(404).send({ error: 'NOT_FOUND', message: `no account named "${existingName}"` });
    const input = mergeSecrets({ ...(body as Record<string, unknown>), ...(existingName ? { name: existingName } : {}) }, stored);
    const parsed = accountSchema.safeParse(input);
    if (!parsed.success) return badRequest(reply, 'INVALID_ACCOUNT', 'the account has invalid fields', describeIssues(parsed.error.issues, input, 'account'));
    const saved = await store.accounts.upsert(parsed.data);
    orgs.forget(saved.config.name);
    return reply.code(existingName ? 200 : 201).send(publicAccount(saved.config));
  };
  app.post('/api/accounts', async (request, reply) => saveAccount(request.body, reply));
  app.put<{ Params: { name: string } }>('/api/accounts/:name', async (request, reply) => saveAccount(request.body, reply, request.params.name));
  app.delete<{ Params: { name: string } }>('/api/accounts/:name', async (request, reply) => {
    orgs.forget(request.params.name);
    return (await store.accounts.remove(request.params.name)) ? reply.code(204).send() : reply.code(404).send({ error: 'NOT_FOUND', message: `no account named "${request.params.name}"` });
  });
  app.post<{ Params: { name: string } }>('/api/accounts/:name/test', async (request, reply) => {
    const stored = await store.accounts.get(request.params.name);
    if (!stored) return reply.code(404).send({ error: 'NOT_FOUND', message: `no account named "${request.params.name}"` });
    const { config } = stored;
    let rotated: string | null = null;
    const report = await runDoctor(config, { onTokenRefreshed: (refreshToken) => { rotated = refreshToken; } });
    // A web-server account's refresh token may rotate on use: keep the new one or the next login fails.
    if (rotated && config.auth.flow === 'webServer') await store.accounts.upsert({ ...config, auth: { ...config.auth, refreshToken: rotated } });
    return report;
  });

  // Triggers
  app.get('/api/triggers', async () => (await store.triggers.list()).map((t) => ({ id: t.id, ...maskTriggerSecrets(t.definition), name: t.name, enabled: t.enabled, updatedAt: t.updatedAt })));
  app.get<{ Params: { id: string } }>('/api/triggers/:id', async (request, reply) => {
    const t = await store.triggers.get(request.params.id);
    return t ? { id: t.id, ...maskTriggerSecrets(t.definition), name: t.name, enabled: t.enabled } : reply.code(404).send({ error: 'NOT_FOUND', message: `no trigger "${request.params.id}"` });
  });
  app.post('/api/triggers/validate', async (request) => {
    const checked = validateTrigger(request.body);
    return checked.ok ? { ok: true } : { ok: false, errors: checked.errors };
  });
  const saveTrigger = async (body: unknown, reply: FastifyReply, id?: string) => {
    const existing = id ? await store.triggers.get(id) : await store.triggers.get(String((body as { name?: unknown } | null)?.name ?? ''));
    if (id && !existing) return reply.code(404).send({ error: 'NOT_FOUND', message: `no trigger "${id}"` });
    const checked = validateTrigger(restoreTriggerSecrets(body, existing?.definition ?? null));
    if (!checked.ok) return badRequest(reply, 'INVALID_TRIGGER', checked.errors.map((e) => e.message).join('; '), checked.errors);
    const { name, enabled, ...definition } = checked.trigger;
    const saved = await store.triggers.save({ id, name, enabled, definition });
    await triggers.reload();
    return reply.code(id ? 200 : 201).send({ id: saved.id, ...maskTriggerSecrets(saved.definition), name: saved.name, enabled: saved.enabled });
  };
  app.post('/api/triggers', async (request, reply) => saveTrigger(request.body, reply));
  app.put<{ Params: { id: string } }>('/api/triggers/:id', async (request, reply) => saveTrigger(request.body, reply, request.params.id));
  app.delete<{ Params: { id: string } }>('/api/triggers/:id', async (request, reply) => {
    const removed = await store.triggers.remove(request.params.id);
    await triggers.reload();
    return removed ? reply.code(204).send() : reply.code(404).send({ error: 'NOT_FOUND', message: `no trigger "${request.params.id}"` });
  });
  app.post<{ Params: { id: string } }>('/api/triggers/:id/dry-run', async (request, reply) => {
    const stored = await store.triggers.get(request.params.id);
    if (!stored) return reply.code(404).send({ error: 'NOT_FOUND', message: `no trigger "${request.params.id}"` });
    const checked = validateTrigger({ ...stored.definition, name: stored.name, enabled: stored.enabled });
    if (!checked.ok) return badRequest(reply, 'INVALID_TRIGGER', 'the stored trigger no longer validates', checked.errors);
    const body = (request.body as { event?: unknown } | undefined)?.event ?? request.body;
    const event = interactionEventSchema.safeParse(body);
    if (!event.success) return badRequest(reply, 'INVALID_EVENT', 'the sample event is invalid', describeIssues(event.error.issues, body));
    return dryRunTrigger({ trigger: checked.trigger, triggerId: stored.id, event: event.data, orgs, defaultRegion: deps.config.defaultRegion });
  });

  // Events, jobs, replay
  app.get<{ Querystring: { since?: string; until?: string; interactionId?: string; type?: string; phone?: string; limit?: string } }>('/api/events', async (request) => {
    const q = request.query;
    return store.events.list({ since: q.since, until: q.until, interactionId: q.interactionId, type: q.type, phone: q.phone, limit: Math.min(Number(q.limit ?? 100), 1000) });
  });
  app.get<{ Querystring: { state?: JobState; account?: string; triggerId?: string; eventId?: string; interactionId?: string; since?: string; limit?: string } }>('/api/jobs', async (request) => {
    const q = request.query;
    return store.jobs.list({ state: q.state, account: q.account, triggerId: q.triggerId, eventId: q.eventId, interactionId: q.interactionId, since: q.since, limit: Math.min(Number(q.limit ?? 100), 1000) });
  });
  app.post<{ Params: { id: string } }>('/api/jobs/:id/retry', async (request, reply) => {
    const ok = await store.jobs.retry(Number(request.params.id));
    return ok ? { retried: true } : reply.code(404).send({ error: 'NOT_FOUND', message: `no dead or pending job ${request.params.id}` });
  });
  app.post<{ Body: { since?: string; until?: string; trigger?: string } }>('/api/replay', async (request, reply) => {
    const body = request.body ?? {};
    if (!body.since || Number.isNaN(Date.parse(body.since))) return badRequest(reply, 'INVALID_REPLAY', 'since: an ISO-8601 time is required, e.g. 2026-11-28T00:00:00Z');
    try {
      return await replayEvents(store, triggers, { since: new Date(body.since).toISOString(), until: body.until, trigger: body.trigger });
    } catch (error) {
      return badRequest(reply, (error as { code?: string }).code ?? 'REPLAY_FAILED', (error as Error).message);
    }
  });
  app.get<{ Params: { id: string } }>('/api/interactions/:id', async (request) => {
    const events = await store.events.list({ interactionId: request.params.id, limit: 1000 });
    const jobs = await store.jobs.list({ interactionId: request.params.id, limit: 1000 });
    const baseUrls = await baseUrlsByAccount(store);
    const records = jobs.flatMap((job) => {
      const record = jobRecord(job, baseUrls);
      return record ? [{ jobId: job.id, action: job.actionName, ...record }] : [];
    });
    return { interactionId: request.params.id, events, jobs, records };
  });
  app.get('/api/stats', async () => ({
    events: await store.events.count(),
    jobs: await store.jobs.counts(),
    accounts: (await store.accounts.list()).map((a) => ({ name: a.config.name, paused: orgs.pauseOf(a.config.name) })),
    quota: await quotaByAccount(deps),
  }));

  await statsRoutes(app, deps);
  await deliveryRoutes(app, deps);
  await describeRoutes(app, deps);
  await connectRoutes(app, deps);
  await triggerExtraRoutes(app, deps);
  await agentRoutes(app, deps);
  await adminUserRoutes(app, store);
  await settingsRoutes(app, deps);
  await sourceRoutes(app, deps.sources);
  await openApiRoutes(app);
}
