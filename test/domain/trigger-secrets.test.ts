import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskTriggerSecrets, restoreTriggerSecrets } from '../../src/domain/trigger-secrets.ts';
import { validateTrigger } from '../../src/domain/trigger.ts';

const stored = {
  on: ['voice.ended'], match: 'all', conditions: [],
  actions: [{ name: 'notify', type: 'webhook', url: 'https://hooks.example/x', secret: 's3cret-signing-key' }],
};

test('a webhook secret is shown only as set', () => {
  const shown = maskTriggerSecrets(stored);
  assert.doesNotMatch(JSON.stringify(shown), /s3cret/);
  assert.equal((shown.actions as Array<Record<string, unknown>>)[0].secretSet, true);
});

test('saving back what was shown keeps the stored secret; a new secret replaces it', () => {
  const shown = { name: 'n', enabled: true, ...maskTriggerSecrets(stored) };
  const kept = validateTrigger(restoreTriggerSecrets(shown, stored));
  assert.ok(kept.ok);
  assert.equal((kept.trigger.actions[0] as { secret?: string }).secret, 's3cret-signing-key');
  const changed = restoreTriggerSecrets({ ...shown, actions: [{ ...(shown.actions as object[])[0], secret: 'new-key' }] }, stored) as typeof stored;
  assert.equal(changed.actions[0].secret, 'new-key');
  const cleared = restoreTriggerSecrets({ ...shown, actions: [{ ...(shown.actions as object[])[0], secretSet: false }] }, stored) as typeof stored;
  assert.equal(cleared.actions[0].secret, undefined);
});
