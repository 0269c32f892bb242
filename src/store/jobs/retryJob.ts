import { run, type Database } from '../database.ts';
import { DEPENDENCY_FAILED } from './failJobs.ts';
import { CLEAR_LEASE } from './jobRow.ts';

/**
 * Give a dead (or waiting) job a fresh start now, with the jobs that died only because they depended on it,
 * transitively. Leased and done jobs are not touched: returns false for them and for unknown ids.
 */
export async function retryJob(db: Database, id: number): Promise<boolean> {
  const d = db.dialect;
  const reset = `state = 'pending', attempts = 0, run_at = ${d.now}, error_code = NULL, error_message = NULL, result = NULL,
    finished_at = NULL, ${CLEAR_LEASE}, updated_at = ${d.now}`;
  return db.transaction(function* () {
    const changed = yield* run(`UPDATE jobs SET ${reset} WHERE id = ? AND state IN ('dead', 'pending')`, [id]);
    if (changed === 0) return false;
    yield* run(
      `WITH RECURSIVE revived(key) AS (
         SELECT key FROM jobs WHERE id = ?
         UNION
         SELECT j.key FROM jobs j JOIN revived ON j.depends_on = revived.key
         WHERE j.state = 'dead' AND j.error_code = '${DEPENDENCY_FAILED}'
       )
       UPDATE jobs SET ${reset}
       WHERE key IN (SELECT key FROM revived) AND state = 'dead' AND error_code = '${DEPENDENCY_FAILED}'`,
      [id],
    );
    return true;
  });
}
