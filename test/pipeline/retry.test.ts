import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, decideRetry, DEFAULT_RETRY_POLICY, outagePauseMs } from '../../src/pipeline/retry.ts';

const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 5, maxSessionAttempts: 3 };

test('permanent errors dead-letter at once', () => {
  assert.deepEqual(decideRetry({ kind: 'permanent', errorCode: 'REQUIRED_FIELD_MISSING', message: 'x' }, 1, policy), { action: 'dead' });
});

test('quota errors pause the account and refund nothing to the job', () => {
  const decision = decideRetry({ kind: 'quota', errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'x', retryAfterMs: 30_000 }, 3, policy);
  assert.deepEqual(decision, { action: 'pauseAccount', pauseMs: 30_000 });
});

test('retryable errors back off until the attempts run out', () => {
  const first = decideRetry({ kind: 'retryable', errorCode: 'SERVER_UNAVAILABLE', message: 'x' }, 1, policy, () => 1);
  assert.equal(first.action, 'retry');
  assert.deepEqual(decideRetry({ kind: 'retryable', errorCode: 'SERVER_UNAVAILABLE', message: 'x' }, 5, policy), { action: 'dead' });
});

test('session errors give up sooner than network errors', () => {
  assert.equal(decideRetry({ kind: 'session', errorCode: 'INVALID_SESSION_ID', message: 'x' }, 2, policy).action, 'retry');
  assert.equal(decideRetry({ kind: 'session', errorCode: 'INVALID_SESSION_ID', message: 'x' }, 3, policy).action, 'dead');
});

test('backoff grows exponentially, is capped, and is jittered', () => {
  assert.equal(backoffDelayMs(1, policy, () => 1), 1000);
  assert.equal(backoffDelayMs(4, policy, () => 1), 8000);
  assert.equal(backoffDelayMs(30, policy, () => 1), 60_000);
  assert.equal(backoffDelayMs(4, policy, () => 0), 500);
  const spread = new Set(Array.from({ length: 20 }, () => backoffDelayMs(6, policy)));
  assert.ok(spread.size > 10, 'random jitter spreads retries');
});

test('an outage pauses the account longer with each failed batch, up to a cap', () => {
  assert.equal(outagePauseMs(1, () => 1), 500);
  assert.equal(outagePauseMs(4, () => 1), 4000);
  assert.equal(outagePauseMs(20, () => 1), 10_000);
  assert.equal(outagePauseMs(20, () => 0), 5_000);
});
