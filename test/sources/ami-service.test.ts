import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import type { InteractionEvent } from '../../src/domain/interaction.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { SourceRunner } from '../../src/pipeline/sources.ts';
import { amiSourceRepository, SOURCES_SETTING, type StoredAmiSource } from '../../src/sources/ami/config.ts';
import { parseMasterKey } from '../../src/store/secrets.ts';
import { emulatorAccount, emulatorRecords, startEmulator, startTestService, waitFor, type TestService } from '../helpers/service.ts';
import { openTestStore } from '../store/backends.ts';
import { field, loadTranscript, ScriptedAmi } from './ami-server.ts';

const AMI_USER = { username: 'ctibridge', secret: 'S3cret-AMI-p4ss-service' };
const ANSWERED_CALL = '1764324600.11';

type SourceView = { name: string; secret: unknown; status: { state: string; buffered: number; lastError: string | null } } & Record<string, unknown>;

describe('AMI sources configured through the admin API', () => {
  let emulator: RunningEmulator;
  let svc: TestService;
  let pbx: ScriptedAmi;
  let pbxPort: number;

  const sourceState = async (name: string) => (await svc.api<SourceView>('GET', `/api/sources/${name}`)).body.status.state;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
    svc = await startTestService();
    pbx = new ScriptedAmi(AMI_USER);
    pbxPort = await pbx.listen();
    assert.equal((await svc.api('POST', '/api/accounts', emulatorAccount(emulator))).status, 201);
    const trigger = {
      name: 'log calls', enabled: true, on: ['voice.ended'], match: 'all', conditions: [],
      actions: [
        { name: 'customer', type: 'salesforce.findCustomer', account: 'acme', by: 'phone', objects: ['Contact', 'Lead'], onMany: 'preferContact', onNone: 'continue' },
        { name: 'task', type: 'salesforce.logActivity', account: 'acme', fields: { Subject: 'Call from {{ interaction.customer.phone }}' } },
      ],
    };
    assert.equal((await svc.api('POST', '/api/triggers', trigger)).status, 201);
  });

  after(async () => {
    await svc?.close();
    await pbx?.close();
    await emulator?.close();
  });

  test('a source added through the API connects, and an answered queue call becomes one Task in Salesforce', async () => {
    const created = await svc.api<SourceView>('POST', '/api/sources', {
      name: 'pbx', type: 'ami', host: '127.0.0.1', port: pbxPort, username: AMI_USER.username, secret: AMI_USER.secret,
      rules: { trunkChannelPrefixes: ['PJSIP/telco-'] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.secret, { set: true });
    assert.equal(created.body.enabled, true);
    await waitFor(async () => (await sourceState('pbx')) === 'connected', 'the AMI login');
    assert.equal(field(pbx.actionsNamed('Login').at(-1)!, 'Username'), AMI_USER.username);

    await pbx.replay(loadTranscript('queue-answered.txt').join(''));
    const tasks = await waitFor(async () => {
      const found = (await emulatorRecords(emulator, 'Task')).filter((t) => t.CallObject === ANSWERED_CALL);
      return found.length ? found : null;
    }, 'the Task of the answered call');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await emulatorRecords(emulator, 'Task')).filter((t) => t.CallObject === ANSWERED_CALL).length, 1);

    const mario = (await emulatorRecords(emulator, 'Contact')).find((c) => String(c.Phone ?? '').replace(/\D/g, '').endsWith('3475550101'));
    assert.equal(tasks[0].WhoId, mario?.Id, 'the caller was found by the number Asterisk reported');
    assert.equal(tasks[0].CallType, 'Inbound');
    const events = (await svc.api<Array<{ source: string; type: string }>>('GET', `/api/events?interactionId=${ANSWERED_CALL}`)).body;
    assert.deepEqual(events.map((e) => e.type), ['voice.started', 'voice.ringing', 'voice.answered', 'voice.ended']);
    assert.ok(events.every((e) => e.source === 'ami'));
  });

  test('the secret is write-only and stored encrypted', async () => {
    const listed = await svc.api<SourceView[]>('GET', '/api/sources');
    assert.equal(listed.status, 200);
    assert.ok(!JSON.stringify(listed.body).includes(AMI_USER.secret));
    assert.deepEqual(listed.body.map((s) => [s.name, s.secret, s.status.state]), [['pbx', { set: true }, 'connected']]);
    const [stored] = (await svc.service.store.settings.get<StoredAmiSource[]>(SOURCES_SETTING)) ?? [];
    assert.match(stored.sealedSecret, /^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    assert.ok(!JSON.stringify(stored).includes(AMI_USER.secret));
  });

  test('an update restarts the source with the new settings; leaving the secret out keeps it', async () => {
    const { secret: _secret, status: _status, updatedAt: _updatedAt, ...current } = (await svc.api<SourceView>('GET', '/api/sources/pbx')).body;
    const loginsBefore = pbx.successfulLogins;
    const wrong = await svc.api<SourceView>('PUT', '/api/sources/pbx', { ...current, secret: 'not-the-secret' });
    assert.equal(wrong.status, 200);
    await waitFor(async () => (await sourceState('pbx')) === 'failed', 'the refused login to stop the source');

    const fixed = await svc.api<SourceView>('PUT', '/api/sources/pbx', { ...current, secret: AMI_USER.secret, rules: { trunkChannelPrefixes: ['PJSIP/telco-'], cdrWaitMs: 0 } });
    assert.equal(fixed.status, 200);
    await waitFor(async () => (await sourceState('pbx')) === 'connected', 'the login with the right secret');
    assert.equal(pbx.successfulLogins, loginsBefore + 1);

    const keptSecret = await svc.api<SourceView>('PUT', '/api/sources/pbx', { ...current, port: pbxPort });
    assert.equal(keptSecret.status, 200);
    await waitFor(async () => pbx.successfulLogins === loginsBefore + 2, 'the login with the kept secret');

    const disabled = await svc.api<SourceView>('PUT', '/api/sources/pbx', { ...current, enabled: false });
    assert.equal(disabled.body.status.state, 'stopped');
    assert.ok(pbx.actionsNamed('Logoff').length >= 1, 'a stopped source logs off');
  });

  test('bad settings are refused naming the field; names are unique; delete stops the source', async () => {
    const missingSecret = await svc.api<{ error: string; message: string }>('POST', '/api/sources', { name: 'pbx2', type: 'ami', host: '127.0.0.1', username: 'u' });
    assert.equal(missingSecret.status, 400);
    assert.match(missingSecret.body.message, /secret/);
    const badHost = await svc.api<{ message: string }>('POST', '/api/sources', { name: 'pbx2', type: 'ami', host: 'tcp://pbx:5038', username: 'u', secret: 's' });
    assert.equal(badHost.status, 400);
    assert.match(badHost.body.message, /host/);
    const badRule = await svc.api<{ message: string }>('POST', '/api/sources', { name: 'pbx2', type: 'ami', host: 'pbx', username: 'u', secret: 's', rules: { internalExtensionPattern: '(' } });
    assert.equal(badRule.status, 400);
    assert.match(badRule.body.message, /rules\.internalExtensionPattern/);
    assert.ok(!JSON.stringify(badHost.body).includes('"s"'), 'the secret is not echoed');

    const duplicate = await svc.api('POST', '/api/sources', { name: 'pbx', type: 'ami', host: '127.0.0.1', port: pbxPort, username: 'u', secret: 's' });
    assert.equal(duplicate.status, 409);
    assert.equal((await svc.api('PUT', '/api/sources/nope', { name: 'nope', type: 'ami', host: 'h', username: 'u', secret: 's' })).status, 404);

    assert.equal((await svc.api('DELETE', '/api/sources/pbx')).status, 204);
    assert.equal((await svc.api('GET', '/api/sources/pbx')).status, 404);
    assert.deepEqual((await svc.api('GET', '/api/sources')).body, []);
  });
});

test('events heard while the store refuses them are kept and stored once it takes them again', async () => {
  const pbx = new ScriptedAmi(AMI_USER);
  const port = await pbx.listen();
  const { store, close } = await openTestStore('sqlite');
  const repository = amiSourceRepository(store.settings, parseMasterKey(randomBytes(32).toString('hex'), 'test key'));
  await repository.save({ name: 'pbx', type: 'ami', host: '127.0.0.1', port, username: AMI_USER.username, secret: AMI_USER.secret, rules: { trunkChannelPrefixes: ['PJSIP/telco-'] } });
  const stored: InteractionEvent[] = [];
  let refusals = 0;
  const runner = new SourceRunner({
    repository,
    logger: pino({ level: 'silent' }),
    retryBaseMs: 20,
    retryMaxMs: 100,
    // A database failover: the first attempts fail, then the store answers again.
    ingest: async (events) => {
      if (refusals < 3) {
        refusals++;
        throw new Error('connection terminated unexpectedly');
      }
      stored.push(...events);
      return { accepted: events.map((e) => e.id), duplicates: [], jobs: 0 };
    },
  });
  try {
    await runner.start();
    await waitFor(async () => runner.status()[0]?.state === 'connected', 'the AMI login');
    await pbx.replay(loadTranscript('queue-answered.txt').join(''));
    await waitFor(async () => stored.some((e) => e.id === `ami:${ANSWERED_CALL}:ended`), 'the call to be stored after the refusals');
    assert.equal(refusals, 3);
    assert.deepEqual(stored.map((e) => e.type), ['voice.started', 'voice.ringing', 'voice.answered', 'voice.ended']);
    assert.equal(runner.status()[0].buffered, 0);
  } finally {
    await runner.close();
    await pbx.close();
    await close();
  }
});
