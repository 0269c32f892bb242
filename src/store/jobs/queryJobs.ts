import { all, type Database } from '../database.ts';
import type { Job, JobFilter, JobState } from '../types.ts';
import { isoIn, isoOrNull, limitOf, num } from '../values.ts';
import { toJob } from './jobRow.ts';

export async function getJob(db: Database, id: number): Promise<Job | null> {
  const [row] = await db.read(() => all('SELECT * FROM jobs WHERE id = ?', [id]));
  return row ? toJob(row) : null;
}

export async function jobsByKeys(db: Database, keys: string[]): Promise<Job[]> {
  if (keys.length === 0) return [];
  const list = db.dialect.list(keys, 'text');
  return (await db.read(() => all(`SELECT * FROM jobs WHERE key IN ${list.sql} ORDER BY id`, [list.param]))).map(toJob);
}

/** Oldest first (id order). `since` bounds when the job was created. */
export async function listJobs(db: Database, filter: JobFilter): Promise<Job[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    where.push(condition);
    params.push(value);
  };
  if (filter.state) add('j.state = ?', filter.state);
  if (filter.account) add('j.account = ?', filter.account);
  if (filter.triggerId) add('j.trigger_id = ?', filter.triggerId);
  if (filter.eventId) add('j.event_id = ?', filter.eventId);
  if (filter.interactionId) add('j.event_id IN (SELECT id FROM events WHERE interaction_id = ?)', filter.interactionId);
  if (filter.since) add('j.created_at >= ?', isoIn(filter.since, 'since'));
  params.push(limitOf(filter.limit));
  const sql = `SELECT j.* FROM jobs j ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY j.id LIMIT ?`;
  return (await db.read(() => all(sql, params))).map(toJob);
}

export async function countJobs(db: Database): Promise<Record<JobState, number>> {
  const counts: Record<JobState, number> = { pending: 0, leased: 0, done: 0, dead: 0 };
  for (const row of await db.read(() => all<{ state: JobState; n: unknown }>('SELECT state, count(*) AS n FROM jobs GROUP BY state'))) {
    counts[row.state] = num(row.n);
  }
  return counts;
}

/**
 * When `lease` may next find work: the earliest due time of a pending job free to run (no dependency, or a
 * done one) or of a lease that will expire. Jobs waiting on an unfinished dependency are left out: they become
 * ready when that job completes, which the worker sees anyway.
 */
export async function nextRunAt(db: Database): Promise<string | null> {
  const [row] = await db.read(() =>
    all<{ at: unknown }>(
      `SELECT min(at) AS at FROM (
         SELECT min(j.run_at) AS at FROM jobs j
         WHERE j.state = 'pending'
           AND (j.depends_on IS NULL OR EXISTS (SELECT 1 FROM jobs dep WHERE dep.key = j.depends_on AND dep.state = 'done'))
         UNION ALL
         SELECT min(lease_until) AS at FROM jobs WHERE state = 'leased'
       ) due`,
    ),
  );
  return isoOrNull(row?.at);
}
