import { all, type Database } from '../database.ts';
import type { Job, LeaseRequest } from '../types.ts';
import { toJob } from './jobRow.ts';

/**
 * Claim ready jobs in one statement: pending and due whose dependency is done, or leased by an owner whose
 * lease ran out (a crashed process). PostgreSQL locks the chosen rows with SKIP LOCKED, so concurrent leasers
 * take disjoint sets; SQLite serialises writers, so the statement alone is enough.
 */
export async function leaseJobs(db: Database, request: LeaseRequest): Promise<Job[]> {
  if (request.limit <= 0) return [];
  const d = db.dialect;
  const excluded = d.list(request.excludeAccounts ?? [], 'text');
  const rows = await db.transaction(() =>
    all(
      `UPDATE jobs SET state = 'leased', lease_owner = ?, lease_until = ${d.nowPlusMs}, attempts = attempts + 1, updated_at = ${d.now}
       WHERE id IN (
         SELECT j.id FROM jobs j
         WHERE ((j.state = 'pending' AND j.run_at <= ${d.now}
                 AND (j.depends_on IS NULL OR EXISTS (SELECT 1 FROM jobs dep WHERE dep.key = j.depends_on AND dep.state = 'done')))
                OR (j.state = 'leased' AND j.lease_until < ${d.now}))
           AND (j.account IS NULL OR j.account NOT IN ${excluded.sql})
         ORDER BY j.run_at, j.id
         LIMIT ?
         ${d.skipLocked}
       )
       RETURNING *`,
      [request.owner, Math.max(0, request.leaseMs), excluded.param, Math.floor(request.limit)],
    ),
  );
  return rows.map(toJob).sort((a, b) => (a.runAt < b.runAt ? -1 : a.runAt > b.runAt ? 1 : a.id - b.id));
}
