import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../server.ts';

/** At most this many rows are read to draw the per-minute series (a busy hour still fits). */
const SERIES_ROWS = 20_000;

export interface MinuteSeries {
  /** Start of each minute, ISO, oldest first. */
  minutes: string[];
  events: number[];
  records: number[];
  failures: number[];
}

/** Count timestamps into one-minute buckets ending at `now`. Pure. */
export function bucketByMinute(now: number, minutes: number, series: Record<'events' | 'records' | 'failures', string[]>): MinuteSeries {
  const end = Math.floor(now / 60_000) * 60_000 + 60_000;
  const start = end - minutes * 60_000;
  const empty = () => new Array<number>(minutes).fill(0);
  const result: MinuteSeries = {
    minutes: Array.from({ length: minutes }, (_, i) => new Date(start + i * 60_000).toISOString()),
    events: empty(),
    records: empty(),
    failures: empty(),
  };
  for (const name of ['events', 'records', 'failures'] as const) {
    for (const at of series[name]) {
      const index = Math.floor((Date.parse(at) - start) / 60_000);
      if (index >= 0 && index < minutes) result[name][index] += 1;
    }
  }
  return result;
}

export async function statsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const { store } = deps;
  app.get<{ Querystring: { minutes?: string } }>('/api/stats/series', async (request) => {
    const minutes = Math.min(Math.max(Number(request.query.minutes ?? 60) || 60, 5), 24 * 60);
    const now = Date.now();
    const since = new Date(now - minutes * 60_000).toISOString();
    const [events, jobs] = await Promise.all([store.events.list({ since, limit: SERIES_ROWS }), store.jobs.list({ since, limit: SERIES_ROWS })]);
    const finished = jobs.filter((j) => j.finishedAt && j.kind !== 'webhook');
    return bucketByMinute(now, minutes, {
      events: events.map((e) => e.receivedAt),
      records: finished.filter((j) => j.state === 'done' && typeof j.result?.id === 'string').map((j) => j.finishedAt!),
      failures: jobs.filter((j) => j.state === 'dead').map((j) => j.finishedAt ?? j.updatedAt),
    });
  });
}

/** API quota per account: what the latest Salesforce response said, against the share ctibridge may use. */
export async function quotaByAccount(deps: HttpDeps): Promise<Array<{ name: string; used: number | null; max: number | null; share: number; paused: { until: number; reason: string } | null }>> {
  const loaded = new Map((await deps.orgs.loaded()).map((h) => [h.config.name, h]));
  return (await deps.store.accounts.list()).map((a) => {
    const usage = loaded.get(a.config.name)?.api.apiUsage() ?? null;
    return { name: a.config.name, used: usage?.used ?? null, max: usage?.max ?? null, share: a.config.apiShare, paused: deps.orgs.pauseOf(a.config.name) };
  });
}
