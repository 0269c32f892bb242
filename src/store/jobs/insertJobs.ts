import { run, type Dialect, type Program } from '../database.ts';
import type { NewJob } from '../types.ts';

const JOB_COLUMNS = {
  key: 'text',
  event_id: 'text',
  trigger_id: 'text',
  action_name: 'text',
  action_index: 'int',
  kind: 'text',
  account: 'text',
  depends_on: 'text',
} as const;

/** Insert planned jobs in one statement; keys that exist are left alone (re-planning creates nothing). */
export function* insertJobs(d: Dialect, jobs: NewJob[]): Program<number> {
  if (jobs.length === 0) return 0;
  const batch = d.rows(
    'r',
    JOB_COLUMNS,
    jobs.map((job) => ({
      key: job.key,
      event_id: job.eventId,
      trigger_id: job.triggerId,
      action_name: job.actionName,
      action_index: job.actionIndex,
      kind: job.kind,
      account: job.account,
      depends_on: job.dependsOn,
    })),
  );
  const columns = Object.keys(JOB_COLUMNS).join(', ');
  return yield* run(
    `INSERT INTO jobs (${columns}) SELECT ${columns} FROM ${batch.sql} WHERE true ON CONFLICT (key) DO NOTHING`,
    [batch.param],
  );
}
