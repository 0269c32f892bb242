import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../server.ts';
import { validateTrigger, type TriggerProblem } from '../../../domain/trigger.ts';
import { interactionEventSchema } from '../../../domain/interaction.ts';
import { sampleEvent } from '../../../domain/sample.ts';
import { describeIssues } from '../../../sources/webhook.ts';
import { dryRunTrigger } from '../../../pipeline/dry-run.ts';
import { maskTriggerSecrets, restoreTriggerSecrets } from '../../../domain/trigger-secrets.ts';
import { notFound, sendError } from './respond.ts';

/** Trigger routes beyond CRUD: switch on/off, dry-run an unsaved draft, export and import. */
export async function triggerExtraRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const { store, triggers, orgs } = deps;

  const setEnabled = (enabled: boolean) => async (request: { params: { id: string } }, reply: import('fastify').FastifyReply) => {
    const stored = await store.triggers.get(request.params.id);
    if (!stored) return notFound(reply, `no trigger "${request.params.id}"`);
    const saved = await store.triggers.save({ id: stored.id, name: stored.name, enabled, definition: stored.definition });
    await triggers.reload();
    return { id: saved.id, ...maskTriggerSecrets(saved.definition), name: saved.name, enabled: saved.enabled };
  };
  app.post<{ Params: { id: string } }>('/api/triggers/:id/enable', setEnabled(true));
  app.post<{ Params: { id: string } }>('/api/triggers/:id/disable', setEnabled(false));

  app.get('/api/triggers/sample-event', async () => sampleEvent);

  app.post<{ Body: { trigger?: unknown; event?: unknown } }>('/api/triggers/dry-run', async (request, reply) => {
    const checked = validateTrigger(request.body?.trigger);
    if (!checked.ok) return sendError(reply, 400, 'INVALID_TRIGGER', checked.errors.map((e) => e.message).join('; '), checked.errors);
    const body = request.body?.event ?? sampleEvent;
    const event = interactionEventSchema.safeParse(body);
    if (!event.success) return sendError(reply, 400, 'INVALID_EVENT', 'the sample event is invalid', describeIssues(event.error.issues, body));
    return dryRunTrigger({ trigger: checked.trigger, triggerId: 'draft', event: event.data, orgs, defaultRegion: deps.config.defaultRegion });
  });

  app.get('/api/triggers/export', async (_request, reply) => {
    const all = await store.triggers.list();
    return reply
      .header('content-disposition', 'attachment; filename="ctibridge-triggers.json"')
      .send(all.map((t) => ({ ...maskTriggerSecrets(t.definition), name: t.name, enabled: t.enabled })));
  });

  /** Import a list (as export writes it): all validate or nothing is saved; same name replaces. */
  app.post('/api/triggers/import', async (request, reply) => {
    const list = Array.isArray(request.body) ? request.body : (request.body as { triggers?: unknown } | undefined)?.triggers;
    if (!Array.isArray(list) || list.length === 0) return sendError(reply, 400, 'INVALID_IMPORT', 'body: a JSON array of triggers, as GET /api/triggers/export writes it');
    const problems: TriggerProblem[] = [];
    const storedByName = new Map((await store.triggers.list()).map((t) => [t.name, t.definition]));
    const valid = list.flatMap((input, index) => {
      const name = (input as { name?: unknown } | null)?.name;
      const checked = validateTrigger(restoreTriggerSecrets(input, typeof name === 'string' ? (storedByName.get(name) ?? null) : null));
      if (checked.ok) return [checked.trigger];
      problems.push(...checked.errors.map((e) => ({ path: `${index}.${e.path}`, message: `#${index + 1}: ${e.message}` })));
      return [];
    });
    if (problems.length > 0) return sendError(reply, 400, 'INVALID_TRIGGER', `nothing was imported: ${problems.map((p) => p.message).join('; ')}`, problems);
    let created = 0;
    let updated = 0;
    for (const trigger of valid) {
      const { name, enabled, ...definition } = trigger;
      const existing = await store.triggers.get(name);
      await store.triggers.save({ id: existing?.id, name, enabled, definition });
      if (existing) updated += 1;
      else created += 1;
    }
    await triggers.reload();
    return { created, updated };
  });
}
