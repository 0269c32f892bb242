import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiUsageTracker, parseLimitInfo, usageFromLimits } from '../../src/salesforce/limits.ts';
import { soqlString } from '../../src/salesforce/soql.ts';

test('Sforce-Limit-Info is read, with or without the per-app part', () => {
  assert.deepEqual(parseLimitInfo('api-usage=25/15000'), { used: 25, max: 15000 });
  assert.deepEqual(parseLimitInfo('api-usage=18/5000; per-app-api-usage=17/250(appName=sample-connected-app)'), { used: 18, max: 5000 });
  assert.equal(parseLimitInfo('per-app-api-usage=17/250(appName=x)'), null);
  assert.equal(parseLimitInfo(''), null);
  assert.equal(parseLimitInfo(undefined), null);
  assert.equal(parseLimitInfo('api-usage=1/0'), null);
});

test('the tracker keeps the latest reading from headers and /limits', () => {
  let now = 1000;
  const tracker = new ApiUsageTracker(() => now);
  assert.equal(tracker.snapshot(), null);
  assert.equal(tracker.shareUsed(), null);
  assert.equal(tracker.exceeds(0.2), false);
  tracker.recordHeader('api-usage=100/1000');
  assert.deepEqual(tracker.snapshot(), { used: 100, max: 1000, updatedAt: 1000 });
  now = 2000;
  tracker.recordLimits({ DailyApiRequests: { Max: 1000, Remaining: 700 } });
  assert.deepEqual(tracker.snapshot(), { used: 300, max: 1000, updatedAt: 2000 });
  assert.equal(tracker.shareUsed(), 0.3);
  assert.equal(tracker.exceeds(0.2), true);
  tracker.recordHeader('garbage');
  assert.equal(tracker.snapshot()?.used, 300, 'an unreadable header changes nothing');
  assert.equal(usageFromLimits({}), null);
});

test('SOQL strings escape quotes and backslashes', () => {
  assert.equal(soqlString("o'brien@x.it"), "'o\\'brien@x.it'");
  assert.equal(soqlString('a\\b'), "'a\\\\b'");
});

