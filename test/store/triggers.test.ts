import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from './backends.ts';

forEachBackend((fresh) => {
  test('a webhook signing secret comes back whole but is not readable in the database', async () => {
    const backend = await fresh();
    const store = await backend.open();
    const definition = {
      on: ['voice.ended'], match: 'all', conditions: [],
      actions: [{ name: 'notify', type: 'webhook', url: 'https://hooks.example/calls', secret: 'whsec-0xFEEDFACE' }],
    };
    const saved = await store.triggers.save({ name: 'notify on calls', enabled: true, definition });
    assert.deepEqual(saved.definition, definition);
    assert.deepEqual((await store.triggers.get('notify on calls'))?.definition, definition);
    const [row] = await backend.query('SELECT * FROM triggers');
    assert.ok(!JSON.stringify(row).includes('whsec-0xFEEDFACE'), 'the secret is stored in clear');
    assert.match(String(row.definition), /"sealedSecret":"v1:/);
    assert.match(String(row.definition), /https:\/\/hooks\.example\/calls/, 'the rest of the definition stays readable');
  });
});
