import { run, type Database } from './database.ts';
import type { Store } from './types.ts';
import { isoIn } from './values.ts';

/**
 * Forget finished history: jobs done before the cutoff, then events received before it that no job refers to
 * any more. Dead letters and their events stay until someone retries or replays them; so does anything a
 * pending or leased job still needs.
 */
export function retentionRepository(db: Database): Store['retention'] {
  return {
    async purge(before) {
      const cutoff = isoIn(before, 'before');
      return db.transaction(function* () {
        const jobs = yield* run(
          `DELETE FROM jobs WHERE state = 'done' AND finished_at < ?
             AND event_id NOT IN (SELECT event_id FROM jobs WHERE state <> 'done')`,
          [cutoff],
        );
        const events = yield* run(
          'DELETE FROM events WHERE received_at < ? AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.event_id = events.id)',
          [cutoff],
        );
        return { events, jobs };
      });
    },
  };
}
