import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestService, waitFor, type TestService } from '../helpers/service.ts';
import { field, ScriptedAmi } from '../sources/ami-server.ts';

const AMI_USER = { username: 'ctibridge', secret: 'S3cret-AMI-dial-source' };
const SECRET_ENV = 'CTIBRIDGE_TEST_DIAL_SOURCE_SECRET';
const MARTA = { id: 'marta', email: 'marta.rossi@contactco.example', extension: '201', name: 'Marta Rossi' };

describe('click-to-dial through the running AMI source', () => {
  let svc: TestService;
  let pbx: ScriptedAmi;
  let pbxPort: number;
  let agentToken: string;

  const dial = async (number: string) => {
    const response = await fetch(`${svc.url}/cti/dial`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ number, recordId: '003000000000001AAA' }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const sourceState = async () => (await svc.api<{ status: { state: string } }>('GET', '/api/sources/pbx')).body.status.state;

  before(async () => {
    svc = await startTestService();
    pbx = new ScriptedAmi(AMI_USER);
    pbxPort = await pbx.listen();
    const issued = await svc.api<{ token: string }>('POST', '/api/cti/agents', MARTA);
    assert.equal(issued.status, 201);
    agentToken = issued.body.token;
    const settings = { dial: { kind: 'ami', host: '127.0.0.1', port: pbxPort, username: AMI_USER.username, secretEnv: SECRET_ENV, context: 'from-internal' } };
    assert.equal((await svc.api('PUT', '/api/cti/settings', settings)).status, 200);
    const source = { name: 'pbx', type: 'ami', host: '127.0.0.1', port: pbxPort, username: AMI_USER.username, secret: AMI_USER.secret, originate: { context: 'from-internal' } };
    assert.equal((await svc.api('POST', '/api/sources', source)).status, 201);
    await waitFor(async () => (await sourceState()) === 'connected', 'the AMI source to log in');
  });

  after(async () => {
    delete process.env[SECRET_ENV];
    await svc?.close();
    await pbx?.close();
  });

  test('a dial goes out on the connection the source already holds: one Login in all, no per-call login', async () => {
    // The per-call secret is not even set: only the running source can place this call.
    assert.equal(process.env[SECRET_ENV], undefined);
    const [sourceLogin] = pbx.actionsNamed('Login');
    const answer = await dial('+39 347 555 0101');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.adapter, 'ami');

    const [originate] = pbx.actionsNamed('Originate');
    assert.ok(originate, 'Asterisk was asked to originate');
    assert.equal(originate.connection, sourceLogin.connection, 'on the source\'s connection');
    assert.equal(field(originate, 'Channel'), 'PJSIP/201');
    assert.equal(field(originate, 'Exten'), '+393475550101');
    assert.equal(pbx.loginAttempts, 1);
    assert.equal(pbx.connections, 1);
    assert.equal(pbx.actionsNamed('Logoff').length, 0, 'the source stays logged in');
    assert.equal(await sourceState(), 'connected');
  });

  test('with the source disabled, a dial logs in for the call as the CTI settings say', async () => {
    const { secret: _secret, status: _status, updatedAt: _updatedAt, ...current } = (await svc.api<Record<string, unknown>>('GET', '/api/sources/pbx')).body;
    assert.equal((await svc.api('PUT', '/api/sources/pbx', { ...current, enabled: false })).status, 200);
    process.env[SECRET_ENV] = AMI_USER.secret;
    const connectionsBefore = pbx.connections;

    const answer = await dial('+39 347 555 0101');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const originate = pbx.actionsNamed('Originate').at(-1)!;
    assert.equal(originate.connection, connectionsBefore + 1, 'on a connection of its own');
    assert.equal(pbx.actionsNamed('Login').at(-1)!.connection, originate.connection);
    await pbx.waitFor(() => pbx.actionsNamed('Logoff').some((a) => a.connection === originate.connection), 'the per-call logoff');
  });
});
