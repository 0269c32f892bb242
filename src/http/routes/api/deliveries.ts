import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../server.ts';
import type { Job, JobState, StoredEvent } from '../../../store/types.ts';
import { baseUrlsByAccount, jobRecord } from './links.ts';

const JOB_STATES = new Set<JobState>(['pending', 'leased', 'done', 'dead']);

export interface DeliveryRow {
  job: Job;
  event: { id: string; type: string; occurredAt: string; interactionId: string; phone: string | null; agent: string | null } | null;
  record: ReturnType<typeof jobRecord>;
}

function eventSummary(stored: StoredEvent | null): DeliveryRow['event'] {
  if (!stored) return null;
  const { interaction } = stored.event;
  return {
    id: stored.id,
    type: stored.type,
    occurredAt: stored.event.occurredAt,
    interactionId: interaction.id,
    phone: interaction.customer?.phone ?? null,
    agent: interaction.agent?.email ?? interaction.agent?.name ?? null,
  };
}

/**
 * The deliveries log: jobs newest first with their event and the record they wrote (linked into the org).
 * `q` finds an interaction id, an event id or a phone number.
 */
export async function deliveryRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const { store } = deps;
  app.get<{ Querystring: { q?: string; state?: string; account?: string; trigger?: string; since?: string; limit?: string } }>('/api/deliveries', async (request) => {
    const query = request.query;
    const limit = Math.min(Math.max(Number(query.limit ?? 100) || 100, 1), 500);
    const base = {
      state: JOB_STATES.has(query.state as JobState) ? (query.state as JobState) : undefined,
      account: query.account || undefined,
      triggerId: query.trigger || undefined,
      since: query.since || undefined,
    };
    let jobs: Job[];
    const q = query.q?.trim();
    if (q) {
      jobs = await store.jobs.list({ ...base, interactionId: q, limit });
      if (jobs.length === 0) jobs = await store.jobs.list({ ...base, eventId: q, limit });
      if (jobs.length === 0) {
        const events = await store.events.list({ phone: q, limit: 100 });
        for (const event of events) jobs.push(...(await store.jobs.list({ ...base, eventId: event.id, limit })));
      }
    } else {
      jobs = await store.jobs.list({ ...base, limit });
    }
    jobs = jobs.sort((a, b) => b.id - a.id).slice(0, limit);
    const baseUrls = await baseUrlsByAccount(store);
    const events = new Map<string, StoredEvent | null>();
    for (const id of new Set(jobs.map((j) => j.eventId))) events.set(id, await store.events.get(id));
    const rows: DeliveryRow[] = jobs.map((job) => ({ job, event: eventSummary(events.get(job.eventId) ?? null), record: jobRecord(job, baseUrls) }));
    return { rows };
  });
}
