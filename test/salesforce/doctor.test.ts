import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { formatDoctorReport, runDoctor, type DoctorResult } from '../../src/salesforce/doctor.ts';
import type { AuthConfig } from '../../src/domain/account.ts';
import { account, CLIENT_ID, CLIENT_SECRET, PASSWORD, passwordAuth, PRIVATE_KEY, SECURITY_TOKEN } from './emulator-helpers.ts';

let emu: RunningEmulator;
let plainSite: Server;
let plainSiteUrl: string;
before(async () => {
  emu = await startEmulator({ port: 0 });
  plainSite = createServer((_req, res) => {
    res.writeHead(404, { 'Content-Type': 'text/html' });
    res.end('<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>');
  });
  await new Promise<void>((resolve) => plainSite.listen(0, '127.0.0.1', resolve));
  plainSiteUrl = `http://127.0.0.1:${(plainSite.address() as AddressInfo).port}`;
});
after(async () => {
  await emu.close();
  await new Promise((resolve) => plainSite.close(resolve));
});

function check(result: DoctorResult, id: string) {
  const found = result.checks.find((c) => c.id === id);
  assert.ok(found, `check ${id}`);
  return found;
}

/** The first failure is `id`, everything before it passed (or does not apply), everything after is skipped. */
function assertStopsAt(result: DoctorResult, id: string): void {
  assert.equal(result.ok, false);
  const index = result.checks.findIndex((c) => c.id === id);
  assert.equal(result.checks[index].status, 'fail', `${id}: ${result.checks[index].detail}`);
  for (const before of result.checks.slice(0, index)) assert.ok(['pass', 'skip'].includes(before.status), `${before.id} before ${id}`);
  for (const later of result.checks.slice(index + 1)) assert.equal(later.status, 'skip', `${later.id} after ${id}`);
}

function assertNoSecrets(result: DoctorResult, auth: AuthConfig): void {
  const text = formatDoctorReport(result) + JSON.stringify(result);
  for (const key of ['clientSecret', 'password', 'securityToken', 'refreshToken', 'privateKey'] as const) {
    const value = (auth as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.length > 3) assert.ok(!text.includes(value), `${key} printed`);
  }
}

test('a correct account passes every check', async () => {
  const config = account(emu.url, passwordAuth(), { fallbackOwner: 'marta.rossi@contactco.example', markerField: 'CallObject' });
  const result = await runDoctor(config);
  assert.deepEqual(result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.detail}`), []);
  assert.equal(result.ok, true);
  assert.deepEqual(result.checks.map((c) => c.id), [
    'login-url', 'client-id', 'client-secret', 'credentials', 'user-status', 'api-version', 'api-access', 'scopes',
    'permissions', 'task-fields', 'case-fields', 'fallback-owner', 'api-quota',
  ]);
  assert.match(check(result, 'permissions').detail, /admin@example\.com \(profile System Administrator\)/);
  const text = formatDoctorReport(result);
  assert.equal(text.split('\n').filter((line) => line.startsWith('✓ ')).length, 13);
  assert.match(text, /All checks passed\.$/);
  assertNoSecrets(result, config.auth);
});

test('a wrong security token fails the credentials check, naming the security token and where to reset it', async () => {
  const auth = passwordAuth({ securityToken: 'WRONGTOKEN123' });
  const result = await runDoctor(account(emu.url, auth));
  assertStopsAt(result, 'credentials');
  const credentials = check(result, 'credentials');
  assert.match(credentials.title, /security token/);
  assert.match(credentials.detail, /security token is wrong/);
  assert.match(credentials.fix ?? '', /Reset My Security Token/);
  assert.match(credentials.fix ?? '', /password change resets the security token/);
  assert.match(credentials.fix ?? '', /ResetApiTokenEdit/);
  const text = formatDoctorReport(result);
  assert.match(text, /^✗ Username, password and security token are accepted/m);
  assert.match(text, /^ {4}fix: /m);
  assert.match(text, /1 check failed\.$/);
  assertNoSecrets(result, auth);
});

test('a wrong consumer secret fails the secret check', async () => {
  const auth = passwordAuth({ clientSecret: 'not-the-secret' });
  const result = await runDoctor(account(emu.url, auth));
  assertStopsAt(result, 'client-secret');
  assert.match(check(result, 'client-secret').fix ?? '', /Consumer Secret/);
  assertNoSecrets(result, auth);
});

test('an unknown client id fails the client id check', async () => {
  const result = await runDoctor(account(emu.url, passwordAuth({ clientId: 'unknown-consumer-key' })));
  assertStopsAt(result, 'client-id');
  assert.match(check(result, 'client-id').fix ?? '', /Consumer Key \(client id\) is not known/);
});

test('a user without API access fails the API check and says how to enable it', async () => {
  const result = await runDoctor(account(emu.url, passwordAuth({ username: 'noapi@example.com' })));
  assertStopsAt(result, 'api-access');
  const api = check(result, 'api-access');
  assert.match(api.detail, /API_DISABLED_FOR_ORG/);
  assert.match(api.fix ?? '', /API Enabled/);
  assert.match(api.fix ?? '', /Essentials|trials/);
});

test('a login URL that is not Salesforce is named as such and nothing else is tried', async () => {
  const result = await runDoctor(account(plainSiteUrl));
  assertStopsAt(result, 'login-url');
  assert.match(check(result, 'login-url').detail, /login URL is not a Salesforce login endpoint/);
  assert.match(check(result, 'login-url').fix ?? '', /login\.salesforce\.com/);
});

test('a login URL nobody answers is named unreachable', async () => {
  const closed = await new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const result = await runDoctor(account(`http://127.0.0.1:${closed}`));
  assertStopsAt(result, 'login-url');
  assert.match(check(result, 'login-url').detail, /not reachable/);
});

test('JWT bearer and client credentials accounts pass; the secret check does not apply to JWT', async () => {
  const jwt = await runDoctor(account(emu.url, { flow: 'jwtBearer', clientId: CLIENT_ID, username: 'admin@example.com', privateKey: PRIVATE_KEY }));
  assert.equal(jwt.ok, true, formatDoctorReport(jwt));
  assert.equal(check(jwt, 'client-secret').status, 'skip');
  assertNoSecrets(jwt, { flow: 'jwtBearer', clientId: CLIENT_ID, username: 'admin@example.com', privateKey: PRIVATE_KEY });
  const cc = await runDoctor(account(emu.url, { flow: 'clientCredentials', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }));
  assert.equal(cc.ok, true, formatDoctorReport(cc));
});

test('a web-server account that was never connected is told to connect', async () => {
  const result = await runDoctor(account(emu.url, { flow: 'webServer', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }));
  assertStopsAt(result, 'credentials');
  assert.match(check(result, 'credentials').detail, /connect the account/);
});

test('an inactive fallback owner fails its own check without stopping the others', async () => {
  const result = await runDoctor(account(emu.url, passwordAuth(), { fallbackOwner: 'paolo.neri@contactco.example' }));
  assert.equal(check(result, 'fallback-owner').status, 'fail');
  assert.match(check(result, 'fallback-owner').detail, /inactive/);
  assert.equal(check(result, 'api-quota').status, 'pass');
});

test('usage above the account\'s share is a warning, with the fix', async () => {
  const result = await runDoctor(account(emu.url, passwordAuth(), { apiShare: 0.00001 }));
  const quota = check(result, 'api-quota');
  assert.equal(quota.status, 'warn', quota.detail);
  assert.match(quota.fix ?? '', /apiShare/);
  assert.equal(result.ok, true, 'warnings do not fail the account');
  assert.match(formatDoctorReport(result), /^! Daily API quota has room/m);
});

test('a locked user is refused at the credentials step', async () => {
  const result = await runDoctor(account(emu.url, passwordAuth({ username: 'locked@example.com', password: PASSWORD, securityToken: SECURITY_TOKEN })));
  assert.equal(result.ok, false);
  const failed = result.checks.find((c) => c.status === 'fail')!;
  assert.ok(['credentials', 'user-status'].includes(failed.id));
  assert.match(`${failed.detail} ${failed.fix}`, /locked/);
});
