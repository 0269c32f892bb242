import type { InteractionEvent } from '../domain/interaction.ts';
import type { AccountConfig } from '../domain/account.ts';

/**
 * The repository layer: one interface over SQLite (better-sqlite3, WAL) and PostgreSQL (pg).
 * Every method is async so both backends fit; each method is one transaction.
 */

export type JobState = 'pending' | 'leased' | 'done' | 'dead';

/** What planning produces: pure values, keyed so re-planning creates nothing new. */
export interface NewJob {
  /** `eventId/triggerId/actionName` — unique. */
  key: string;
  eventId: string;
  triggerId: string;
  actionName: string;
  actionIndex: number;
  /** Action type, e.g. salesforce.logActivity, webhook. */
  kind: string;
  /** Salesforce account name; null for webhook actions. */
  account: string | null;
  /** Key of the job that must be done before this one runs (the previous action of the same trigger). */
  dependsOn: string | null;
}

export interface Job extends NewJob {
  id: number;
  state: JobState;
  /** Number of times the job has been leased (an attempt > 1 may have reached Salesforce before: reconcile). */
  attempts: number;
  runAt: string; // ISO
  leaseOwner: string | null;
  leaseUntil: string | null;
  /** Output of the action: e.g. {id, object, created} for a Salesforce record; read by later actions. */
  result: Record<string, unknown> | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface StoredEvent {
  seq: number;
  id: string;
  type: string;
  interactionId: string;
  source: string;
  receivedAt: string;
  event: InteractionEvent;
}

export interface StoredAccount {
  id: number;
  config: AccountConfig; // secrets decrypted (never serialize this to a response)
  createdAt: string;
  updatedAt: string;
}

export interface StoredTrigger {
  id: string;
  name: string;
  enabled: boolean;
  /** The trigger definition as validated by domain/trigger.ts (without id). */
  definition: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** Jobs come back oldest first (id order). */
export interface JobFilter {
  state?: JobState;
  account?: string;
  triggerId?: string;
  eventId?: string;
  interactionId?: string;
  /** Jobs created at or after this time (ISO). */
  since?: string;
  /** Default 100. */
  limit?: number;
}

/** Events come back in arrival order (seq ascending). */
export interface EventFilter {
  /** Events stored after this sequence number (paging in arrival order). */
  afterSeq?: number;
  /** Received at or after this time (ISO): when the event was stored and planned, not when it occurred. */
  since?: string;
  /** Received before this time (ISO). */
  until?: string;
  interactionId?: string;
  type?: string;
  /** customer.phone, compared by digits; 7+ digits also match national vs international writing. */
  phone?: string;
  /** Default 100. */
  limit?: number;
}

export interface LeaseRequest {
  owner: string;
  limit: number;
  leaseMs: number;
  /** Accounts whose work must wait (quota guard). */
  excludeAccounts?: string[];
}

export interface JobOutcome {
  id: number;
  result: Record<string, unknown>;
}

export interface JobFailure {
  id: number;
  errorCode: string;
  errorMessage: string;
  /** Retry at this time (ISO); when absent the job is dead-lettered. */
  retryAt?: string;
  /** A retry that must not count as an attempt (e.g. account paused, session renewed). */
  refundAttempt?: boolean;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;

  accounts: {
    upsert(config: AccountConfig): Promise<StoredAccount>;
    get(name: string): Promise<StoredAccount | null>;
    list(): Promise<StoredAccount[]>;
    remove(name: string): Promise<boolean>;
  };

  triggers: {
    save(trigger: { id?: string; name: string; enabled: boolean; definition: Record<string, unknown> }): Promise<StoredTrigger>;
    get(idOrName: string): Promise<StoredTrigger | null>;
    list(): Promise<StoredTrigger[]>;
    remove(id: string): Promise<boolean>;
  };

  events: {
    /**
     * In one transaction: store the events whose id is new, then the jobs that `plan` returns for those new
     * events only. Duplicates (same id) are reported and produce nothing.
     */
    appendAndPlan(
      events: InteractionEvent[],
      source: string,
      plan: (fresh: InteractionEvent[]) => NewJob[],
    ): Promise<{ accepted: string[]; duplicates: string[]; jobs: number }>;
    get(id: string): Promise<StoredEvent | null>;
    list(filter: EventFilter): Promise<StoredEvent[]>;
    count(): Promise<number>;
  };

  jobs: {
    /** Insert jobs, ignoring keys that exist (re-planning). Returns how many were new. */
    insertMany(jobs: NewJob[]): Promise<number>;
    /**
     * Claim up to `limit` ready jobs: pending with runAt <= now whose dependency is done, or leased with an
     * expired lease. Sets state leased, leaseOwner, leaseUntil, attempts+1. PostgreSQL: FOR UPDATE SKIP LOCKED.
     */
    lease(request: LeaseRequest): Promise<Job[]>;
    /** Only jobs still leased change (a late report after another worker reclaimed and finished a job is ignored). */
    complete(outcomes: JobOutcome[]): Promise<void>;
    /**
     * Reschedule (retryAt) or dead-letter; dead-lettering also dead-letters, transitively, the pending jobs that
     * depend on it (errorCode DEPENDENCY_FAILED). Only jobs still leased change.
     */
    fail(failures: JobFailure[]): Promise<void>;
    /** Give leased jobs back untouched (shutdown): pending, attempts-1. */
    release(ids: number[]): Promise<void>;
    /** Dead or pending job back to pending now, attempts 0 (and its dead dependents). */
    retry(id: number): Promise<boolean>;
    get(id: number): Promise<Job | null>;
    byKeys(keys: string[]): Promise<Job[]>;
    list(filter: JobFilter): Promise<Job[]>;
    counts(): Promise<Record<JobState, number>>;
    /**
     * When lease() may next find work (to sleep until then), or null: the earliest runAt of a pending job whose
     * dependency is done (or that has none), or the earliest leaseUntil of a leased job.
     */
    nextRunAt(): Promise<string | null>;
  };

  retention: {
    /** Delete done jobs finished before `before` and the events left without jobs; dead letters stay. */
    purge(before: string): Promise<{ events: number; jobs: number }>;
  };

  /** Small key/value settings (e.g. the demo flag, agent → user overrides). */
  settings: {
    get<T>(key: string): Promise<T | null>;
    set(key: string, value: unknown): Promise<void>;
  };
}
