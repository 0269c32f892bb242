import { all, run, type Database, type Dialect, type Program } from '../database.ts';
import type { JobFailure } from '../types.ts';
import { isoIn } from '../values.ts';
import { CLEAR_LEASE } from './jobRow.ts';

export const DEPENDENCY_FAILED = 'DEPENDENCY_FAILED';

/**
 * Reschedule failures that carry `retryAt`; dead-letter the others, and with each dead job every pending job
 * that waits on it, directly or through another (they could never run). One transaction for the batch.
 */
export async function failJobs(db: Database, failures: JobFailure[]): Promise<void> {
  if (failures.length === 0) return;
  const d = db.dialect;
  const retries = failures
    .filter((f) => f.retryAt !== undefined)
    .map((f) => ({
      id: f.id,
      error_code: f.errorCode,
      error_message: f.errorMessage,
      run_at: isoIn(f.retryAt as string, 'retryAt'),
      refund: f.refundAttempt ? 1 : 0,
    }));
  const deaths = failures.filter((f) => f.retryAt === undefined).map((f) => ({ id: f.id, error_code: f.errorCode, error_message: f.errorMessage }));

  await db.transaction(function* () {
    if (retries.length) {
      const batch = d.rows('r', { id: 'int', error_code: 'text', error_message: 'text', run_at: 'timestamp', refund: 'int' }, retries);
      // Naming the ids makes SQLite look each job up by key instead of scanning every leased job per batch row.
      const ids = d.list(retries.map((r) => r.id), 'int');
      yield* run(
        `UPDATE jobs SET state = 'pending', run_at = r.run_at, error_code = r.error_code, error_message = r.error_message,
           attempts = CASE WHEN r.refund = 1 AND attempts > 0 THEN attempts - 1 ELSE attempts END, ${CLEAR_LEASE}, updated_at = ${d.now}
         FROM ${batch.sql}
         WHERE jobs.id = r.id AND jobs.state = 'leased' AND jobs.id IN ${ids.sql}`,
        [batch.param, ids.param],
      );
    }
    if (deaths.length) {
      const batch = d.rows('r', { id: 'int', error_code: 'text', error_message: 'text' }, deaths);
      const ids = d.list(deaths.map((r) => r.id), 'int');
      const dead = yield* all<{ id: unknown; key: string; error_code: string }>(
        `UPDATE jobs SET state = 'dead', error_code = r.error_code, error_message = r.error_message, ${CLEAR_LEASE},
           finished_at = ${d.now}, updated_at = ${d.now}
         FROM ${batch.sql}
         WHERE jobs.id = r.id AND jobs.state = 'leased' AND jobs.id IN ${ids.sql}
         RETURNING jobs.id, jobs.key, jobs.error_code`,
        [batch.param, ids.param],
      );
      for (const job of dead) yield* killDependents(d, job.id, `an earlier action failed: job "${job.key}" ended with ${job.error_code}`);
    }
  });
}

function* killDependents(d: Dialect, rootId: unknown, message: string): Program<number> {
  return yield* run(
    `WITH RECURSIVE doomed(key) AS (
       SELECT key FROM jobs WHERE id = ?
       UNION
       SELECT j.key FROM jobs j JOIN doomed ON j.depends_on = doomed.key
     )
     UPDATE jobs SET state = 'dead', error_code = '${DEPENDENCY_FAILED}', error_message = ?, finished_at = ${d.now}, updated_at = ${d.now}
     WHERE key IN (SELECT key FROM doomed) AND state = 'pending'`,
    [rootId, message],
  );
}
