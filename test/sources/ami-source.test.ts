import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { interactionEventSchema, type InteractionEvent } from '../../src/domain/interaction.ts';
import type { CtiError } from '../../src/errors.ts';
import { AmiClient } from '../../src/sources/ami/client.ts';
import { startAmiSource, type AmiSource, type AmiSourceOptions } from '../../src/sources/ami/source.ts';
import { field, loadTranscript, ScriptedAmi } from './ami-server.ts';

const ACCOUNT = { username: 'ctibridge', secret: 'S3cret-AMI-p4ss' };
const FAST = { reconnectBaseDelayMs: 10, reconnectMaxDelayMs: 40, keepAliveIntervalMs: 1_000, keepAliveTimeoutMs: 500, connectTimeoutMs: 2_000 };

function recordingLogger() {
  const lines: string[] = [];
  const write = (details: object, message: string): void => void lines.push(`${message} ${JSON.stringify(details)}`);
  return { lines, logger: { debug: write, info: write, warn: write, error: write } };
}

interface Harness {
  server: ScriptedAmi;
  source: AmiSource;
  events: InteractionEvent[];
  logs: string[];
  stop(): Promise<void>;
}

async function harness(overrides: Partial<AmiSourceOptions> = {}, account = ACCOUNT): Promise<Harness> {
  const server = new ScriptedAmi(account);
  const port = await server.listen();
  const events: InteractionEvent[] = [];
  const { lines, logger } = recordingLogger();
  const source = startAmiSource({
    host: '127.0.0.1',
    port,
    username: ACCOUNT.username,
    secret: ACCOUNT.secret,
    rules: { trunkChannelPrefixes: ['PJSIP/telco-'] },
    onEvent: (event) => void events.push(interactionEventSchema.parse(event)),
    logger,
    connection: FAST,
    ...overrides,
  });
  return {
    server,
    source,
    events,
    logs: lines,
    async stop() {
      await source.close();
      await server.close();
    },
  };
}

const waitForEvent = (h: Harness, id: string): Promise<void> => h.server.waitFor(() => h.events.some((e) => e.id === id), `event ${id}`);

describe('AMI source against a scripted Asterisk', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.source.ready;
  });
  after(() => h.stop());

  it('logs in with the configured user and events on', () => {
    const [login] = h.server.actionsNamed('Login');
    assert.equal(field(login, 'Username'), 'ctibridge');
    assert.equal(field(login, 'Events'), 'on');
    assert.ok(field(login, 'ActionID'));
    assert.equal(h.source.state, 'connected');
  });

  const scenarios: Array<[file: string, linkedid: string, phases: string[]]> = [
    ['queue-answered.txt', '1764324600.11', ['started', 'ringing', 'answered', 'ended']],
    ['queue-abandoned.txt', '1764325800.21', ['started', 'ringing', 'abandoned']],
    ['blind-transfer.txt', '1764327000.31', ['started', 'ringing', 'answered', 'transferred', 'ended']],
    ['ring-no-answer.txt', '1764329400.51', ['started', 'ringing', 'missed']],
  ];
  for (const [file, linkedid, phases] of scenarios) {
    it(`turns the ${file.replace('.txt', '')} transcript, sent in split chunks, into ${phases.join(', ')}`, async () => {
      await h.server.replay(loadTranscript(file).join(''));
      await waitForEvent(h, `ami:${linkedid}:${phases.at(-1)}`);
      const ofCall = h.events.filter((e) => e.interaction.id === linkedid);
      assert.deepEqual(
        ofCall.map((e) => e.type),
        phases.map((phase) => `voice.${phase}`),
      );
      assert.equal(h.source.trackedCalls, 0, 'state is gone once the last channel hung up');
    });
  }

  it('sends Originate with the fields Asterisk needs for click-to-dial and returns its answer', async () => {
    const result = await h.source.originate({ extension: '201', number: '+39 347 555 0101', variables: { SF_RECORD_ID: '003000000000001AAA' } });
    assert.equal(result.message, 'Originate successfully queued');
    const originate = h.server.actionsNamed('Originate').at(-1)!;
    assert.deepEqual(
      originate.fields.filter(([key]) => key !== 'ActionID'),
      [
        ['Action', 'Originate'],
        ['Channel', 'PJSIP/201'],
        ['Exten', '+393475550101'],
        ['Context', 'from-internal'],
        ['Priority', '1'],
        ['CallerID', '+393475550101'],
        ['Timeout', '30000'],
        ['Async', 'true'],
        ['Variable', 'SF_RECORD_ID=003000000000001AAA'],
      ],
    );
    assert.equal(field(originate, 'ActionID'), result.actionId);
  });

  it('refuses a click-to-dial number that is not a phone number, without calling Asterisk', async () => {
    const before = h.server.actionsNamed('Originate').length;
    await assert.rejects(h.source.originate({ extension: '201', number: '123\r\nAction: Command' }), { code: 'AMI_INVALID_ACTION' });
    await assert.rejects(h.source.originate({ extension: '201@evil', number: '3475550101' }), { code: 'AMI_INVALID_ACTION' });
    assert.equal(h.server.actionsNamed('Originate').length, before);
  });

  it('never writes the secret to the log', () => {
    assert.ok(h.logs.length > 0);
    assert.equal(h.logs.join('\n').includes(ACCOUNT.secret), false);
  });
});

describe('AMI connection failures', () => {
  it('a link dropped mid-call: logs in again and the call still ends once', async () => {
    const h = await harness();
    try {
      await h.source.ready;
      const [beforeDrop, afterDrop] = loadTranscript('outbound.txt');
      await h.server.replay(beforeDrop);
      await waitForEvent(h, 'ami:1764328200.41:answered');
      h.server.dropAll();
      await h.server.waitFor(() => h.server.successfulLogins === 2 && h.source.state === 'connected', 'second login');
      await h.server.replay(afterDrop);
      await waitForEvent(h, 'ami:1764328200.41:ended');
      assert.deepEqual(
        h.events.map((e) => e.type),
        ['voice.started', 'voice.ringing', 'voice.answered', 'voice.ended'],
      );
      const logins = h.server.actionsNamed('Login');
      assert.deepEqual(logins.map((l) => l.connection), [1, 2]);
      const ended = h.events[3];
      assert.equal(ended.interaction.talkSec, 95);
      assert.ok(h.logs.some((line) => line.startsWith('AMI connection lost')));
    } finally {
      await h.stop();
    }
  });

  it('a peer that stops answering Ping is dropped and reconnected', async () => {
    const h = await harness({ connection: { ...FAST, keepAliveIntervalMs: 30, keepAliveTimeoutMs: 60 } });
    try {
      await h.source.ready;
      h.server.answerPings = false;
      await h.server.waitFor(() => h.server.connections >= 2, 'a reconnect after the silent Ping');
      h.server.answerPings = true;
      await h.server.waitFor(() => h.server.successfulLogins >= 2 && h.source.state === 'connected', 'logged in again');
      assert.ok(h.logs.some((line) => line.includes('AMI_TIMEOUT')));
    } finally {
      await h.stop();
    }
  });

  it('a wrong secret fails with AMI_AUTH_FAILED and Asterisk\'s words, and is not retried', async () => {
    const h = await harness({}, { username: ACCOUNT.username, secret: 'the-right-one-is-different' });
    try {
      await assert.rejects(h.source.ready, (error: CtiError) => {
        assert.equal(error.code, 'AMI_AUTH_FAILED');
        assert.match(error.message, /^Authentication failed/);
        assert.equal(error.message.includes(ACCOUNT.secret), false);
        return true;
      });
      // Several reconnect delays pass: a retrying client would have logged in again by now.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(h.server.loginAttempts, 1);
      assert.equal(h.server.connections, 1);
      assert.equal(h.source.state, 'failed');
      await assert.rejects(h.source.originate({ extension: '201', number: '3475550101' }), { code: 'AMI_DISCONNECTED' });
      assert.equal(h.logs.join('\n').includes(ACCOUNT.secret), false);
    } finally {
      await h.stop();
    }
  });

  it('keeps retrying with backoff while Asterisk is down, then connects', async () => {
    const server = new ScriptedAmi(ACCOUNT);
    const port = await server.listen();
    await server.close();
    const client = new AmiClient({ host: '127.0.0.1', port, ...ACCOUNT, ...FAST });
    const ready = client.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(client.state === 'waiting' || client.state === 'connecting', true);
      const revived = new ScriptedAmi(ACCOUNT);
      await revived.listen(port);
      try {
        await ready;
        assert.equal(client.version, '7.0.3');
        const pong = await client.action([['Action', 'Ping']]);
        assert.equal(pong.Ping, 'Pong');
      } finally {
        await client.close();
        await revived.close();
      }
    } finally {
      await client.close();
    }
  });

  it('an action without a connection fails with AMI_DISCONNECTED; close() ends pending work', async () => {
    const client = new AmiClient({ host: '127.0.0.1', port: 1, ...ACCOUNT, ...FAST });
    await assert.rejects(client.action([['Action', 'Ping']]), { code: 'AMI_DISCONNECTED' });
    const ready = assert.rejects(client.start(), { code: 'AMI_DISCONNECTED' });
    await client.close();
    await ready;
  });
});
