import { all, run, type Database } from '../database.ts';
import { DEPENDENCY_FAILED } from './failJobs.ts';
import { CLEAR_LEASE } from './jobRow.ts';

/**
 * Give a dead (or waiting) job a fresh start now, with the jobs that died only because they depended on it,
 * transitively. Asked for a job that died of DEPENDENCY_FAILED, it retries the job that actually failed (which
 * brings this one back too): reviving it alone would leave it waiting forever on a dead job. Leased and done
 * jobs are not touched: returns false for them and for unknown ids.
 */
export async function retryJob(db: Database, id: number): Promise<boolean> {
  const d = db.dialect;
  const reset = `state = 'pending', attempts = 0, run_at = ${d.now}, error_code = NULL, error_message = NULL, result = NULL,
    finished_at = NULL, ${CLEAR_LEASE}, updated_at = ${d.now}`;
  return db.transaction(function* () {
    const [root] = yield* all<{ id: unknown }>(
      `WITH RECURSIVE chain(id, depends_on, state, error_code, depth) AS (
         SELECT id, depends_on, state, error_code, 0 FROM jobs WHERE id = ?
         UNION ALL
         SELECT up.id, up.depends_on, up.state, up.error_code, chain.depth + 1
         FROM jobs up JOIN chain ON up.key = chain.depends_on
         WHERE chain.state = 'dead' AND chain.error_code = '${DEPENDENCY_FAILED}'
       )
       SELECT id FROM chain ORDER BY depth DESC LIMIT 1`,
      [id],
    );
    if (!root) return false;
    const changed = yield* run(`UPDATE jobs SET ${reset} WHERE id = ? AND state IN ('dead', 'pending')`, [root.id]);
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
      [root.id],
    );
    return true;
  });
}
