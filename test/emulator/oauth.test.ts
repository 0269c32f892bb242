import assert from 'node:assert/strict';
import { createHash, createHmac, createSign, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_SEED_PRIVATE_KEY_PATH, startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { ADMIN, CLIENT_ID, CLIENT_SECRET, PASSWORD, TOKEN, V, passwordForm, post } from './helpers.ts';

const CALLBACK = 'http://127.0.0.1:8080/oauth/callback';

function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = unescapeHtml(m[2]);
  return fields;
}

function signJwt(claims: Record<string, unknown>, key = readFileSync(DEFAULT_SEED_PRIVATE_KEY_PATH, 'utf8')): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

describe('OAuth token endpoint', () => {
  let emu: RunningEmulator;
  let tokenUrl: string;
  before(async () => {
    emu = await startEmulator();
    tokenUrl = `${emu.url}/services/oauth2/token`;
  });
  after(() => emu.close());

  test('password grant returns a signed token for the instance, without a refresh token', async () => {
    const reply = await post(tokenUrl, passwordForm());
    assert.equal(reply.status, 200);
    const body = reply.body;
    assert.equal(body.instance_url, emu.url);
    assert.equal(body.token_type, 'Bearer');
    assert.match(body.id, new RegExp(`^${emu.url}/id/00D\\w{15}/005\\w{15}$`));
    assert.equal(body.refresh_token, undefined);
    const expected = createHmac('sha256', CLIENT_SECRET).update(body.id + body.issued_at).digest('base64');
    assert.equal(body.signature, expected);
    const data = await fetch(`${emu.url}${V}/limits`, { headers: { authorization: `Bearer ${body.access_token}` } });
    assert.equal(data.status, 200);
  });

  test('password grant failures answer exactly as Salesforce', async () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ ...passwordForm(), client_id: 'nope' }, 'invalid_client_id', 'client identifier invalid'],
      [{ ...passwordForm(), client_secret: 'wrong' }, 'invalid_client', 'invalid client credentials'],
      [passwordForm(ADMIN, 'wrong' + TOKEN), 'invalid_grant', 'authentication failure'],
      [passwordForm(ADMIN, PASSWORD), 'invalid_grant', 'authentication failure'],
      [passwordForm('nobody@example.com'), 'invalid_grant', 'authentication failure'],
      [passwordForm('locked@example.com'), 'invalid_grant', 'authentication failure'],
      [passwordForm('paolo.neri@contactco.example'), 'inactive_user', 'user is inactive'],
      [{ ...passwordForm(), grant_type: 'magic' }, 'unsupported_grant_type', 'grant type not supported'],
    ];
    for (const [form, error, description] of cases) {
      const reply = await post(tokenUrl, form);
      assert.equal(reply.status, 400, JSON.stringify(form));
      assert.deepEqual(reply.body, { error, error_description: description });
    }
  });

  test('client credentials run as the configured user, and fail on an app without one', async () => {
    const ok = await post(tokenUrl, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.instance_url, emu.url);
    const admin = [...emu.org.credentials.values()].find((c) => c.username === ADMIN)!;
    assert.ok(ok.body.id.endsWith(admin.userId));
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const viaBasic = await post(tokenUrl, { grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    assert.equal(viaBasic.status, 200);
    const limited = await post(tokenUrl, { grant_type: 'client_credentials', client_id: 'emulator-limited-client-id', client_secret: 'emulator-limited-client-secret' });
    assert.deepEqual(limited.body, { error: 'invalid_grant', error_description: 'no client credentials user enabled' });
    const badSecret = await post(tokenUrl, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: 'x' });
    assert.deepEqual(badSecret.body, { error: 'invalid_client', error_description: 'invalid client credentials' });
  });

  test('jwt-bearer accepts an assertion signed with the app key and rejects bad ones', async () => {
    const claims = { iss: CLIENT_ID, sub: ADMIN, aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 180 };
    const grant = (assertion: string) => post(tokenUrl, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    const ok = await grant(signJwt(claims));
    assert.equal(ok.status, 200);
    assert.ok(ok.body.access_token);
    assert.equal((await grant(signJwt({ ...claims, aud: emu.url }))).status, 200);
    const otherKey = (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.deepEqual((await grant(signJwt(claims, otherKey))).body, { error: 'invalid_grant', error_description: 'invalid assertion' });
    assert.deepEqual((await grant(signJwt({ ...claims, aud: 'https://evil.example' }))).body, { error: 'invalid_grant', error_description: 'audience is invalid' });
    assert.deepEqual((await grant(signJwt({ ...claims, exp: 1000 }))).body, { error: 'invalid_grant', error_description: 'invalid assertion' });
    assert.deepEqual((await grant(signJwt({ ...claims, iss: 'unknown' }))).body, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
    assert.deepEqual((await grant(signJwt({ ...claims, sub: 'nobody@example.com' }))).body, { error: 'invalid_grant', error_description: "user hasn't approved this consumer" });
  });

  test('a token from a user without API permission logs in but data calls get API_DISABLED_FOR_ORG', async () => {
    const login = await post(tokenUrl, passwordForm('noapi@example.com'));
    assert.equal(login.status, 200);
    const res = await fetch(`${emu.url}${V}/query?q=SELECT+Id+FROM+Contact`, { headers: { authorization: `Bearer ${login.body.access_token}` } });
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), [{ message: 'API is not enabled for this Organization or Partner', errorCode: 'API_DISABLED_FOR_ORG' }]);
  });

  test('identity URL and userinfo describe the logged-in user; revoke ends the session', async () => {
    const login = (await post(tokenUrl, passwordForm())).body;
    const auth = { authorization: `Bearer ${login.access_token}` };
    const identity = await (await fetch(login.id, { headers: auth })).json();
    assert.equal(identity.username, ADMIN);
    assert.equal(identity.display_name, 'Emulator Admin');
    assert.equal(identity.urls.rest, `${emu.url}/services/data/v{version}/`);
    assert.equal(identity.organization_id, emu.org.id);
    const info = await (await fetch(`${emu.url}/services/oauth2/userinfo`, { headers: auth })).json();
    assert.equal(info.preferred_username, ADMIN);
    assert.equal((await fetch(login.id)).status, 403);

    const revoked = await post(`${emu.url}/services/oauth2/revoke`, { token: login.access_token });
    assert.equal(revoked.status, 200);
    const after = await fetch(`${emu.url}${V}/limits`, { headers: auth });
    assert.equal(after.status, 401);
    assert.deepEqual(await after.json(), [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const again = await post(`${emu.url}/services/oauth2/revoke`, { token: login.access_token });
    assert.equal(again.status, 400);
  });
});

describe('web-server flow (authorize page, code, PKCE, refresh token)', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  async function clickThrough(verifier: string, extra: Record<string, string> = {}): Promise<URL> {
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = new URLSearchParams({
      response_type: 'code', client_id: CLIENT_ID, redirect_uri: CALLBACK, state: 'st-1', scope: 'api refresh_token',
      code_challenge: challenge, code_challenge_method: 'S256', ...extra,
    });
    const loginPage = await fetch(`${emu.url}/services/oauth2/authorize?${query}`);
    assert.equal(loginPage.status, 200);
    const loginHtml = await loginPage.text();
    assert.match(loginHtml, /name="username"/);
    assert.match(loginHtml, /name="password"/);
    assert.match(loginHtml, />Log In</);

    const wrong = await post(`${emu.url}/services/oauth2/authorize`, { ...hiddenFields(loginHtml), username: ADMIN, password: 'nope' });
    assert.match(String(wrong.body), /check your username and password/);

    const approve = await post(`${emu.url}/services/oauth2/authorize`, { ...hiddenFields(loginHtml), username: ADMIN, password: PASSWORD });
    assert.equal(approve.status, 200);
    assert.match(String(approve.body), />Allow</);
    const allowed = await post(`${emu.url}/services/oauth2/authorize`, { ...hiddenFields(String(approve.body)), decision: 'allow' });
    assert.equal(allowed.status, 302);
    return new URL(allowed.headers.get('location')!);
  }

  test('login, Allow, code exchange with PKCE, refresh, single-use code', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const location = await clickThrough(verifier);
    assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
    assert.equal(location.searchParams.get('state'), 'st-1');
    const code = location.searchParams.get('code')!;
    const exchange = { grant_type: 'authorization_code', code, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: CALLBACK, code_verifier: verifier };
    const tokens = await post(`${emu.url}/services/oauth2/token`, exchange);
    assert.equal(tokens.status, 200);
    assert.ok(tokens.body.refresh_token);
    assert.equal(tokens.body.scope, 'api refresh_token');

    const reused = await post(`${emu.url}/services/oauth2/token`, exchange);
    assert.deepEqual(reused.body, { error: 'invalid_grant', error_description: 'expired authorization code' });

    const refreshed = await post(`${emu.url}/services/oauth2/token`, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.access_token, tokens.body.access_token);
    assert.equal(refreshed.body.refresh_token, undefined);

    await post(`${emu.url}/services/oauth2/revoke`, { token: tokens.body.refresh_token });
    const afterRevoke = await post(`${emu.url}/services/oauth2/token`, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    assert.deepEqual(afterRevoke.body, { error: 'invalid_grant', error_description: 'expired access/refresh token' });
    const data = await fetch(`${emu.url}${V}/limits`, { headers: { authorization: `Bearer ${refreshed.body.access_token}` } });
    assert.equal(data.status, 401, 'revoking the refresh token ends the sessions it produced');
  });

  test('a wrong code verifier or redirect_uri is refused', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = (await clickThrough(verifier)).searchParams.get('code')!;
    const bad = await post(`${emu.url}/services/oauth2/token`, { grant_type: 'authorization_code', code, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: CALLBACK, code_verifier: 'x'.repeat(43) });
    assert.deepEqual(bad.body, { error: 'invalid_grant', error_description: 'invalid code verifier' });

    const code2 = (await clickThrough(verifier)).searchParams.get('code')!;
    const mismatch = await post(`${emu.url}/services/oauth2/token`, { grant_type: 'authorization_code', code: code2, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: 'http://127.0.0.1:9/other', code_verifier: verifier });
    assert.equal(mismatch.body.error, 'redirect_uri_mismatch');
  });

  test('unknown client or unregistered callback shows an error page instead of redirecting', async () => {
    const unknown = await fetch(`${emu.url}/services/oauth2/authorize?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(CALLBACK)}`, { redirect: 'manual' });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /invalid_client_id/);
    const mismatch = await fetch(`${emu.url}/services/oauth2/authorize?response_type=code&client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`, { redirect: 'manual' });
    assert.equal(mismatch.status, 400);
    assert.match(await mismatch.text(), /redirect_uri_mismatch/);
  });

  test('Deny sends the user back with access_denied', async () => {
    const query = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: CALLBACK, state: 's' });
    const loginHtml = await (await fetch(`${emu.url}/services/oauth2/authorize?${query}`)).text();
    const approve = await post(`${emu.url}/services/oauth2/authorize`, { ...hiddenFields(loginHtml), username: ADMIN, password: PASSWORD });
    const denied = await post(`${emu.url}/services/oauth2/authorize`, { ...hiddenFields(String(approve.body)), decision: 'deny' });
    const location = new URL(denied.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('state'), 's');
  });
});
