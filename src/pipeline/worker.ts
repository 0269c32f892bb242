import type { Logger } from 'pino';
import type { InteractionEvent } from '../domain/interaction.ts';
import { CtiError } from '../errors.ts';
import { SalesforceError } from '../salesforce/errors.ts';
import { AuthError } from '../salesforce/auth/errors.ts';
import * as metrics from '../metrics.ts';
import type { Job, JobFailure, JobOutcome, Store } from '../store/types.ts';
import { executeLookups } from './execute/lookups.ts';
import { executeWebhook } from './execute/webhooks.ts';
import { executeWrites } from './execute/writes.ts';
import { failureOf, permanentFailure } from './failures.ts';
import type { OrgRegistry } from './orgs.ts';
import type { OrgApi } from './org-api.ts';
import { prepareJob } from './prepare.ts';
import { DEFAULT_RETRY_POLICY, decideRetry, outagePauseMs, type FailureInfo, type RetryPolicy } from './retry.ts';
import type { TriggerCatalog } from './trigger-catalog.ts';
import { accountOf, bucketKey, type JobResult, type LookupItem, type WorkItem, type WriteItem, type WebhookItem } from './work-item.ts';

export interface WorkerOptions {
  /** Lease owner: unique per process. */
  owner: string;
  /** How long a batch may wait for company while its account is busy; an idle account sends at once. */
  batchWindowMs: number;
  batchMaxRecords: number;
  leaseMs: number;
  /** Jobs held in memory at most; the rest of a backlog stays in the database. */
  maxHeld: number;
  /** Requests in flight per Salesforce account (Salesforce allows 25 concurrent long requests per org). */
  concurrencyPerAccount: number;
  /** How often to look for work made ready by time (retries) or by other processes. */
  pollMs: number;
  defaultRegion: string;
  /** Pause after a quota error that does not say how long to wait. */
  quotaPauseMs: number;
  /** One request per job and no caches: what a plain integration does (the benchmark's baseline). */
  naive: boolean;
  retryPolicy?: RetryPolicy;
}

export interface WorkerDeps {
  store: Store;
  orgs: OrgRegistry;
  triggers: TriggerCatalog;
  logger: Logger;
  now?: () => number;
  /** Told about every finished job (the CTI panel and the admin UI follow deliveries live). */
  onJobFinished?: (job: Job, outcome: { ok: true; result: Record<string, unknown> } | { ok: false; failure: FailureInfo; dead: boolean }) => void;
}

interface Bucket {
  items: WorkItem[];
  firstAt: number;
}

/**
 * The delivery loop: lease ready jobs, prepare each into a work item, group items by (account, object,
 * operation), send each group as one request when it is full, when its window has passed, or at once when the
 * account is idle, and record every outcome.
 */
export class Worker {
  private readonly buckets = new Map<string, Bucket>();
  private readonly lastFlushAt = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private held = 0;
  /** Consecutive batches per account that failed as a whole: an outage pauses the account, not each job. */
  private readonly outageStreak = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private tickAgain = false;
  private stopping = false;
  private readonly now: () => number;
  private readonly policy: RetryPolicy;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: WorkerOptions,
  ) {
    this.now = deps.now ?? Date.now;
    this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  }

  start(): void {
    this.wake();
  }

  /** New work may be ready (an event was ingested, a job finished). */
  wake(): void {
    if (this.stopping) return;
    this.schedule(0);
  }

  /** Stop leasing, finish what is in flight, give back what was leased but not sent. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.ticking) await new Promise((resolve) => setTimeout(resolve, 10));
    const unsent = [...this.buckets.values()].flatMap((b) => b.items.map((i) => i.job.id));
    this.buckets.clear();
    if (unsent.length) await this.deps.store.jobs.release(unsent);
    this.held -= unsent.length;
    await Promise.allSettled([...this.running]);
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    if (this.ticking) {
      if (delayMs === 0) this.tickAgain = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), Math.max(0, delayMs));
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    this.ticking = true;
    this.tickAgain = false;
    let leasedFull = false;
    try {
      const room = this.options.maxHeld - this.held;
      if (room > 0) {
        const limit = Math.min(room, 500);
        const jobs = await this.deps.store.jobs.lease({
          owner: this.options.owner,
          limit,
          leaseMs: this.options.leaseMs,
          excludeAccounts: this.deps.orgs.pausedAccounts(),
        });
        leasedFull = jobs.length === limit;
        if (jobs.length) {
          this.held += jobs.length;
          await this.prepareAll(jobs);
        }
      }
      this.flushDue();
    } catch (error) {
      this.deps.logger.error({ err: error }, 'worker tick failed');
    } finally {
      this.ticking = false;
    }
    if (this.stopping) return;
    if (this.tickAgain || (leasedFull && this.held < this.options.maxHeld)) this.schedule(0);
    else this.schedule(this.nextWakeDelay());
  }

  private nextWakeDelay(): number {
    let delay = this.options.pollMs;
    const now = this.now();
    for (const bucket of this.buckets.values()) delay = Math.min(delay, bucket.firstAt + this.options.batchWindowMs - now);
    const resume = this.deps.orgs.nextResume();
    if (resume !== null) delay = Math.min(delay, resume - now);
    return Math.max(5, delay);
  }

  private async prepareAll(jobs: Job[]): Promise<void> {
    await this.deps.triggers.fresh();
    const earlierKeys = new Set<string>();
    for (const job of jobs) {
      const trigger = this.deps.triggers.get(job.triggerId);
      const index = trigger?.actions.findIndex((a) => a.name === job.actionName) ?? -1;
      for (const earlier of trigger?.actions.slice(0, Math.max(0, index)) ?? []) {
        earlierKeys.add(`${job.eventId}/${job.triggerId}/${earlier.name}`);
      }
    }
    const earlierJobs = earlierKeys.size ? await this.deps.store.jobs.byKeys([...earlierKeys]) : [];
    const resultsByKey = new Map(earlierJobs.map((j) => [j.key, j.result]));
    // Jobs of one event share one read of it.
    const events = new Map<string, Promise<InteractionEvent | null>>();
    const immediate: JobResult[] = [];

    await Promise.all(
      jobs.map(async (job) => {
        const trigger = this.deps.triggers.get(job.triggerId);
        const action = trigger?.actions.find((a) => a.name === job.actionName);
        if (!trigger || !action) {
          const what = trigger ? `its action "${job.actionName}" was removed` : 'its trigger was deleted';
          immediate.push({ jobId: job.id, ok: false, failure: permanentFailure(trigger ? 'ACTION_REMOVED' : 'TRIGGER_DELETED', `Job ${job.key}: ${what}`) });
          return;
        }
        const outputs: Record<string, Record<string, unknown>> = {};
        for (const earlier of trigger.actions.slice(0, trigger.actions.indexOf(action))) {
          const result = resultsByKey.get(`${job.eventId}/${job.triggerId}/${earlier.name}`);
          if (result) outputs[earlier.name] = result;
        }
        if (Object.values(outputs).some((o) => o.stopped === true)) {
          immediate.push({ jobId: job.id, ok: true, result: { skipped: true, stopped: true } });
          return;
        }
        if (!events.has(job.eventId)) events.set(job.eventId, this.deps.store.events.get(job.eventId).then((stored) => stored?.event ?? null));
        const event = await events.get(job.eventId);
        if (!event) {
          immediate.push({ jobId: job.id, ok: false, failure: permanentFailure('EVENT_MISSING', `Job ${job.key}: its event is gone (retention?)`) });
          return;
        }
        try {
          const org = job.account ? await this.deps.orgs.get(job.account) : null;
          const item = await prepareJob({ job, event, action, outputs, org, defaultRegion: this.options.defaultRegion });
          this.enqueue(item);
        } catch (error) {
          // Our own checks (templates, field types, missing account) are permanent; anything from talking to
          // Salesforce (describe, owner lookup, login) is classified like any other Salesforce failure.
          const fromSalesforce = error instanceof SalesforceError || error instanceof AuthError || !(error instanceof CtiError);
          const failure = fromSalesforce ? failureOf(error) : permanentFailure(error.code, `${trigger.name} → ${action.name}: ${error.message}`);
          immediate.push({ jobId: job.id, ok: false, failure });
        }
      }),
    );
    if (immediate.length) await this.record(jobs, immediate);
  }

  private enqueue(item: WorkItem): void {
    const key = bucketKey(item);
    const bucket = this.buckets.get(key);
    if (bucket) bucket.items.push(item);
    else this.buckets.set(key, { items: [item], firstAt: this.now() });
  }

  private flushDue(): void {
    const now = this.now();
    const { batchWindowMs, batchMaxRecords, naive, concurrencyPerAccount } = this.options;
    const paused = new Set(this.deps.orgs.pausedAccounts());
    const giveBack: WorkItem[] = [];
    for (const [key, bucket] of this.buckets) {
      // Work of a paused account, and work held so long that its lease may run out before Salesforce answers,
      // goes back to the database: another process may take it over, and must not race this one.
      const keep: WorkItem[] = [];
      for (const item of bucket.items) {
        const account = accountOf(item);
        const leaseLeft = item.job.leaseUntil ? Date.parse(item.job.leaseUntil) - now : Infinity;
        if ((account && paused.has(account)) || leaseLeft <= this.options.leaseMs / 2) giveBack.push(item);
        else keep.push(item);
      }
      bucket.items = keep;
      while (bucket.items.length > 0) {
        const account = accountOf(bucket.items[0]) ?? '(webhooks)';
        if ((this.inFlight.get(account) ?? 0) >= concurrencyPerAccount) break;
        const idle = now - (this.lastFlushAt.get(key) ?? 0) >= batchWindowMs;
        const due = naive || bucket.items.length >= batchMaxRecords || idle || now - bucket.firstAt >= batchWindowMs;
        if (!due) break;
        const take = bucket.items.splice(0, naive ? 1 : batchMaxRecords);
        bucket.firstAt = now;
        this.lastFlushAt.set(key, now);
        this.send(account, take);
      }
      if (bucket.items.length === 0) this.buckets.delete(key);
    }
    if (giveBack.length) this.giveBack(giveBack);
  }

  private giveBack(items: WorkItem[]): void {
    const task = this.deps.store.jobs
      .release(items.map((i) => i.job.id))
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not release jobs; their leases will expire'))
      .finally(() => {
        this.held -= items.length;
        this.running.delete(task);
      });
    this.running.add(task);
  }

  private send(account: string, items: WorkItem[]): void {
    this.inFlight.set(account, (this.inFlight.get(account) ?? 0) + 1);
    const task = this.execute(items)
      .catch((error: unknown): JobResult[] => {
        this.deps.logger.error({ err: error, account }, 'batch failed unexpectedly');
        const failure = failureOf(error);
        return items.map((i) => ({ jobId: i.job.id, ok: false as const, failure }));
      })
      .then((results) => this.record(items.map((i) => i.job), results))
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'recording outcomes failed; leases will expire and the jobs rerun'))
      .finally(() => {
        this.inFlight.set(account, (this.inFlight.get(account) ?? 1) - 1);
        this.running.delete(task);
        this.wake();
      });
    this.running.add(task);
  }

  private async execute(items: WorkItem[]): Promise<JobResult[]> {
    const first = items[0];
    if (first.kind === 'webhook') return Promise.all((items as WebhookItem[]).map(executeWebhook));
    const org = await this.deps.orgs.get(first.account);
    if (!org) throw new CtiError('ACCOUNT_NOT_FOUND', `Salesforce account "${first.account}" is not registered`);
    metrics.batchSize.observe(items.length);
    metrics.salesforceRequests.inc({ account: first.account, kind: first.kind === 'lookup' ? 'lookup' : first.operation });
    const results =
      first.kind === 'lookup'
        ? await executeLookups(items as LookupItem[], { api: org.api, cache: org.lookups, defaultRegion: this.options.defaultRegion })
        : await executeWrites(items as WriteItem[], org.api, org.config.markerField);
    this.guardQuota(first.account, org.api, org.config.apiShare);
    return results;
  }

  /**
   * Keep ctibridge within its share of the org's daily API limit, and stop before the org itself runs dry:
   * the org's users and other integrations need the rest. A paused account's jobs wait in the database.
   */
  private guardQuota(account: string, api: OrgApi, share: number): void {
    const usage = api.apiUsage();
    if (!usage || usage.max <= 0) return;
    metrics.apiUsage.set({ account }, usage.used / usage.max);
    const own = api.callsLast24h();
    const pauseMs = Math.min(60_000, this.options.quotaPauseMs);
    let reason: string | null = null;
    if (own >= usage.max * share) reason = `API quota guard: ctibridge made ${own} calls in 24 h, its share is ${Math.floor(usage.max * share)}`;
    else if (usage.used >= usage.max * 0.98) reason = `API quota guard: the org used ${usage.used} of ${usage.max} daily calls`;
    if (reason) {
      this.deps.orgs.pause(account, pauseMs, reason);
      metrics.accountPaused.set({ account }, 1);
    }
  }

  /** Accounts whose batch failed as a whole, with the pause their streak of such failures earns. */
  private trackOutages(jobs: Job[], results: JobResult[]): Map<string, number> {
    const accountOfJob = new Map(jobs.map((j) => [j.id, j.account]));
    const failedWhole = new Set<string>();
    const succeeded = new Set<string>();
    for (const result of results) {
      const account = accountOfJob.get(result.jobId);
      if (!account) continue;
      if (!result.ok && result.failure.kind === 'retryable' && result.failure.requestLevel) failedWhole.add(account);
      else succeeded.add(account);
    }
    const pauses = new Map<string, number>();
    for (const account of succeeded) if (!failedWhole.has(account)) this.outageStreak.delete(account);
    for (const account of failedWhole) {
      const streak = (this.outageStreak.get(account) ?? 0) + 1;
      this.outageStreak.set(account, streak);
      pauses.set(account, Math.min(outagePauseMs(streak), this.options.quotaPauseMs));
    }
    return pauses;
  }

  private async record(jobs: Job[], results: JobResult[]): Promise<void> {
    const byId = new Map(jobs.map((j) => [j.id, j]));
    const completed: JobOutcome[] = [];
    const failed: JobFailure[] = [];
    const now = this.now();
    const outage = this.trackOutages(jobs, results);
    for (const result of results) {
      const job = byId.get(result.jobId);
      if (!job) continue;
      if (result.ok) {
        completed.push({ id: job.id, result: result.result });
        metrics.jobsFinished.inc({ outcome: 'done', kind: job.kind });
        this.deps.onJobFinished?.(job, result);
        continue;
      }
      // The configured pause caps Salesforce's hint: the daily window is rolling, so quota frees up gradually.
      const failure = result.failure.kind === 'quota'
        ? { ...result.failure, retryAfterMs: Math.min(result.failure.retryAfterMs ?? Infinity, this.options.quotaPauseMs) }
        : result.failure;
      // Refused credentials (password or token changed, app revoked) hold the account's work until an admin
      // fixes the account: its jobs wait rather than die, and the pause says why. An org that is down or
      // failing whole requests pauses the account too, so an outage does not use up every job's attempts.
      const decision = failure.kind === 'session' && failure.errorCode.startsWith('AUTH_')
        ? { action: 'pauseAccount' as const, pauseMs: Math.min(60_000, this.options.quotaPauseMs) }
        : failure.kind === 'retryable' && failure.requestLevel && job.account && outage.has(job.account)
          ? { action: 'pauseAccount' as const, pauseMs: outage.get(job.account)! }
          : decideRetry(failure, job.attempts, this.policy);
      const base = { id: job.id, errorCode: result.failure.errorCode, errorMessage: result.failure.message };
      if (decision.action === 'dead') {
        failed.push(base);
        metrics.jobsFinished.inc({ outcome: 'dead', kind: job.kind });
        this.deps.logger.warn({ job: job.key, code: base.errorCode }, `dead-lettered: ${base.errorMessage}`);
      } else if (decision.action === 'pauseAccount') {
        if (job.account) {
          this.deps.orgs.pause(job.account, decision.pauseMs, `${result.failure.errorCode}: ${result.failure.message}`);
          metrics.accountPaused.set({ account: job.account }, 1);
        }
        failed.push({ ...base, retryAt: new Date(now + decision.pauseMs).toISOString(), refundAttempt: true });
        metrics.jobsFinished.inc({ outcome: 'paused', kind: job.kind });
      } else {
        failed.push({ ...base, retryAt: new Date(now + decision.delayMs).toISOString(), refundAttempt: decision.refundAttempt });
        metrics.jobsFinished.inc({ outcome: 'retry', kind: job.kind });
      }
      this.deps.onJobFinished?.(job, { ok: false, failure: result.failure, dead: decision.action === 'dead' });
    }
    if (completed.length) await this.deps.store.jobs.complete(completed);
    if (failed.length) await this.deps.store.jobs.fail(failed);
    this.held -= results.filter((r) => byId.has(r.jobId)).length;
  }
}
