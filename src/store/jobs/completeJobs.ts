import { run, type Database } from '../database.ts';
import type { JobOutcome } from '../types.ts';
import { CLEAR_LEASE } from './jobRow.ts';

/**
 * Record many outcomes in one statement. Only leased jobs change: a worker whose lease expired and whose job
 * another worker already finished does not overwrite that outcome.
 */
export async function completeJobs(db: Database, outcomes: JobOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const d = db.dialect;
  const batch = d.rows('r', { id: 'int', result: 'text' }, outcomes.map((o) => ({ id: o.id, result: JSON.stringify(o.result) })));
  // Naming the ids makes SQLite look each job up by key instead of scanning every leased job per batch row.
  const ids = d.list(outcomes.map((o) => o.id), 'int');
  await db.transaction(() =>
    run(
      `UPDATE jobs SET state = 'done', result = r.result, error_code = NULL, error_message = NULL, ${CLEAR_LEASE},
         finished_at = ${d.now}, updated_at = ${d.now}
       FROM ${batch.sql}
       WHERE jobs.id = r.id AND jobs.state = 'leased' AND jobs.id IN ${ids.sql}`,
      [batch.param, ids.param],
    ),
  );
}
