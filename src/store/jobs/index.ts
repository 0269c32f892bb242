import type { Database } from '../database.ts';
import type { Store } from '../types.ts';
import { completeJobs } from './completeJobs.ts';
import { failJobs } from './failJobs.ts';
import { insertJobs } from './insertJobs.ts';
import { leaseJobs } from './leaseJobs.ts';
import { countJobs, getJob, jobsByKeys, listJobs, nextRunAt } from './queryJobs.ts';
import { releaseJobs } from './releaseJobs.ts';
import { retryJob } from './retryJob.ts';

/** The job lifecycle, one file per transition: pending → leased → done | dead (retry: dead → pending). */
export function jobsRepository(db: Database): Store['jobs'] {
  return {
    insertMany: (jobs) => db.transaction(() => insertJobs(db.dialect, jobs)),
    lease: (request) => leaseJobs(db, request),
    complete: (outcomes) => completeJobs(db, outcomes),
    fail: (failures) => failJobs(db, failures),
    release: (ids) => releaseJobs(db, ids),
    retry: (id) => retryJob(db, id),
    get: (id) => getJob(db, id),
    byKeys: (keys) => jobsByKeys(db, keys),
    list: (filter) => listJobs(db, filter),
    counts: () => countJobs(db),
    nextRunAt: () => nextRunAt(db),
  };
}
