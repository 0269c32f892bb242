import { run, type Database } from '../database.ts';
import { CLEAR_LEASE } from './jobRow.ts';

/** Shutdown: hand leased jobs back as they were, without counting the attempt that never happened. */
export async function releaseJobs(db: Database, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const d = db.dialect;
  const list = d.list(ids, 'int');
  await db.transaction(() =>
    run(
      `UPDATE jobs SET state = 'pending', ${CLEAR_LEASE}, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, updated_at = ${d.now}
       WHERE id IN ${list.sql} AND state = 'leased'`,
      [list.param],
    ),
  );
}
