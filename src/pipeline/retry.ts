/**
 * What to do with a job whose attempt failed: pure, so every branch is a plain-value test.
 * The failure class comes from salesforce/errors.ts (or the webhook sender, which uses the same classes).
 */

export type FailureKind = 'retryable' | 'session' | 'quota' | 'permanent';

export interface FailureInfo {
  kind: FailureKind;
  errorCode: string;
  message: string;
  /** For quota errors: how long Salesforce needs before it accepts more (concurrent-request limit vs daily). */
  retryAfterMs?: number;
  /** The whole request failed (network, 5xx, timeout), not one record: the org, not the job, is at fault. */
  requestLevel?: boolean;
}

export type RetryDecision =
  | { action: 'retry'; delayMs: number; refundAttempt: boolean }
  | { action: 'dead' }
  | { action: 'pauseAccount'; pauseMs: number };

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Consecutive session failures after which re-authenticating is hopeless (credentials changed). */
  maxSessionAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 25,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  maxSessionAttempts: 5,
};

/** Full-jitter exponential backoff: spreads retries of a failed batch so they do not hit the org together. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(policy.baseDelayMs / 2 + random() * (ceiling - policy.baseDelayMs / 2));
}

export function decideRetry(
  failure: FailureInfo,
  attempts: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): RetryDecision {
  switch (failure.kind) {
    case 'permanent':
      return { action: 'dead' };
    case 'quota':
      // The whole account waits, and the job keeps its attempt: running out of quota is not the job's fault.
      return { action: 'pauseAccount', pauseMs: failure.retryAfterMs ?? 5 * 60_000 };
    case 'session':
      if (attempts >= policy.maxSessionAttempts) return { action: 'dead' };
      return { action: 'retry', delayMs: backoffDelayMs(attempts, policy, random), refundAttempt: false };
    case 'retryable':
      if (attempts >= policy.maxAttempts) return { action: 'dead' };
      return { action: 'retry', delayMs: backoffDelayMs(attempts, policy, random), refundAttempt: false };
  }
}

/** Pause of an account whose requests keep failing as a whole (an outage): doubles per failure, capped. */
export function outagePauseMs(consecutiveFailures: number, random: () => number = Math.random, capMs = 10_000): number {
  const ceiling = Math.min(capMs, 500 * 2 ** Math.max(0, consecutiveFailures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
