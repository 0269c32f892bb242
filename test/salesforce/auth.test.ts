import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import {
  AuthError, AuthInputError, buildAuthorizeUrl, buildJwtAssertion, clientCredentialsGrant, codeChallengeOf, exchangeAuthorizationCode,
  jwtBearerGrant, passwordGrant, refreshAccessToken, revokeToken, audienceFor,
} from '../../src/salesforce/auth/index.ts';
import { approveInBrowser, CALLBACK, CLIENT_ID, CLIENT_SECRET, PASSWORD, PRIVATE_KEY, SECURITY_TOKEN } from './emulator-helpers.ts';

let emu: RunningEmulator;
before(async () => {
  emu = await startEmulator({ port: 0 });
});
after(() => emu.close());

async function dataCall(instanceUrl: string, accessToken: string): Promise<number> {
  const response = await fetch(`${instanceUrl}/services/data/v62.0/limits`, { headers: { Authorization: `Bearer ${accessToken}` } });
  await response.arrayBuffer();
  return response.status;
}

describe('password grant', () => {
  test('logs in with password + security token and the session works on the instance', async () => {
    const tokens = await passwordGrant({ loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, username: 'admin@example.com', password: PASSWORD, securityToken: SECURITY_TOKEN });
    assert.equal(tokens.instanceUrl, emu.url);
    assert.match(tokens.idUrl, /\/id\/00D\w+\/005\w+$/);
    assert.ok(tokens.issuedAt > Date.now() - 60_000);
    assert.equal(tokens.refreshToken, undefined, 'the password grant returns no refresh token');
    assert.equal(await dataCall(tokens.instanceUrl, tokens.accessToken), 200);
  });

  test('a wrong security token is explained in plain words, without echoing any secret', async () => {
    const error = await passwordGrant({ loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, username: 'admin@example.com', password: PASSWORD, securityToken: 'WRONGTOKEN' }).catch((e: unknown) => e);
    assert.ok(error instanceof AuthError);
    assert.equal(error.error, 'invalid_grant');
    assert.equal(error.errorDescription, 'authentication failure');
    assert.equal(error.status, 400);
    assert.match(error.explanation, /security token/);
    assert.match(error.explanation, /Reset My Security Token/);
    assert.match(error.explanation, /ResetApiTokenEdit/);
    for (const secret of [PASSWORD, 'WRONGTOKEN', CLIENT_SECRET]) assert.ok(!error.message.includes(secret), `message must not hold ${secret}`);
  });

  test('an unknown client id and a wrong secret are told apart', async () => {
    const unknown = await passwordGrant({ loginUrl: emu.url, clientId: 'not-a-key', clientSecret: CLIENT_SECRET, username: 'admin@example.com', password: PASSWORD }).catch((e: unknown) => e);
    assert.ok(unknown instanceof AuthError);
    assert.equal(unknown.error, 'invalid_client_id');
    assert.match(unknown.explanation, /Consumer Key \(client id\) is not known at this login URL/);
    const wrongSecret = await passwordGrant({ loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: 'nope', username: 'admin@example.com', password: PASSWORD, securityToken: SECURITY_TOKEN }).catch((e: unknown) => e);
    assert.ok(wrongSecret instanceof AuthError);
    assert.equal(wrongSecret.error, 'invalid_client');
    assert.match(wrongSecret.explanation, /Consumer Secret/);
  });

  test('inputs are checked at the door and the error names the field', async () => {
    await assert.rejects(
      passwordGrant({ loginUrl: emu.url, clientId: '', clientSecret: CLIENT_SECRET, username: 'a', password: 'b' }),
      (e: unknown) => e instanceof AuthInputError && e.field === 'clientId' && /Consumer Key/.test(e.message),
    );
    await assert.rejects(
      passwordGrant({ loginUrl: 'http://login.salesforce.com', clientId: 'x', clientSecret: 'y', username: 'a', password: 'b' }),
      (e: unknown) => e instanceof AuthInputError && e.field === 'loginUrl' && /https/.test(e.message),
    );
    await assert.rejects(
      passwordGrant({ loginUrl: 'not a url', clientId: 'x', clientSecret: 'y', username: 'a', password: 'b' }),
      (e: unknown) => e instanceof AuthInputError && e.field === 'loginUrl',
    );
  });

  test('a login URL that is not Salesforce, and one that does not answer, are named as such', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><body>Not Found</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const html = await passwordGrant({ loginUrl: `http://127.0.0.1:${port}`, clientId: 'x', clientSecret: 'y', username: 'a', password: 'b' }).catch((e: unknown) => e);
      assert.ok(html instanceof AuthError);
      assert.equal(html.error, 'not_salesforce');
      assert.match(html.explanation, /not a Salesforce login endpoint/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const closed = await passwordGrant({ loginUrl: `http://127.0.0.1:${port}`, clientId: 'x', clientSecret: 'y', username: 'a', password: 'b' }).catch((e: unknown) => e);
    assert.ok(closed instanceof AuthError);
    assert.equal(closed.error, 'unreachable');
  });
});

describe('web-server flow with PKCE', () => {
  test('authorize URL carries an S256 challenge of its verifier and a state', () => {
    const request = buildAuthorizeUrl({ loginUrl: emu.url, clientId: CLIENT_ID, redirectUri: CALLBACK });
    const url = new URL(request.url);
    assert.equal(url.pathname, '/services/oauth2/authorize');
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('code_challenge'), codeChallengeOf(request.codeVerifier));
    assert.equal(url.searchParams.get('state'), request.state);
    assert.match(url.searchParams.get('scope') ?? '', /\bapi\b.*\brefresh_token\b/);
    assert.ok(request.codeVerifier.length >= 43);
    assert.notEqual(buildAuthorizeUrl({ loginUrl: emu.url, clientId: CLIENT_ID, redirectUri: CALLBACK }).codeVerifier, request.codeVerifier);
    assert.throws(() => buildAuthorizeUrl({ loginUrl: emu.url, clientId: CLIENT_ID, redirectUri: '/oauth/callback' }), /redirectUri/);
  });

  test('login page → allow → code → tokens with a refresh token that renews the session', async () => {
    const request = buildAuthorizeUrl({ loginUrl: emu.url, clientId: CLIENT_ID, redirectUri: CALLBACK });
    const callback = await approveInBrowser(request.url, 'admin@example.com', PASSWORD);
    assert.equal(callback.searchParams.get('state'), request.state);
    const code = callback.searchParams.get('code')!;
    const tokens = await exchangeAuthorizationCode({ loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: CALLBACK, code, codeVerifier: request.codeVerifier });
    assert.ok(tokens.refreshToken);
    assert.match(tokens.scope ?? '', /refresh_token/);
    assert.equal(await dataCall(tokens.instanceUrl, tokens.accessToken), 200);

    const renewed = await refreshAccessToken({ loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: tokens.refreshToken! });
    assert.notEqual(renewed.accessToken, tokens.accessToken);
    assert.equal(await dataCall(renewed.instanceUrl, renewed.accessToken), 200);
  });

  test('a public client (no secret) is let in by its PKCE verifier alone, and a wrong verifier is refused', async () => {
    const request = buildAuthorizeUrl({ loginUrl: emu.url, clientId: CLIENT_ID, redirectUri: CALLBACK });
    const code = (await approveInBrowser(request.url, 'admin@example.com', PASSWORD)).searchParams.get('code')!;
    const tokens = await exchangeAuthorizationCode({ loginUrl: emu.url, clientId: CLIENT_ID, redirectUri: CALLBACK, code, codeVerifier: request.codeVerifier });
    assert.ok(tokens.accessToken);

    const second = buildAuthorizeUrl({ loginUrl: emu.url, clientId: CLIENT_ID, redirectUri: CALLBACK });
    const code2 = (await approveInBrowser(second.url, 'admin@example.com', PASSWORD)).searchParams.get('code')!;
    const refused = await exchangeAuthorizationCode({ loginUrl: emu.url, clientId: CLIENT_ID, redirectUri: CALLBACK, code: code2, codeVerifier: request.codeVerifier }).catch((e: unknown) => e);
    assert.ok(refused instanceof AuthError);
    assert.equal(refused.error, 'invalid_grant');
    assert.match(refused.explanation, /start the Salesforce login again/);
  });

  test('a revoked refresh token is refused with advice to connect again', async () => {
    const request = buildAuthorizeUrl({ loginUrl: emu.url, clientId: CLIENT_ID, redirectUri: CALLBACK });
    const code = (await approveInBrowser(request.url, 'admin@example.com', PASSWORD)).searchParams.get('code')!;
    const tokens = await exchangeAuthorizationCode({ loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: CALLBACK, code, codeVerifier: request.codeVerifier });
    await revokeToken({ loginUrl: emu.url, token: tokens.refreshToken! });
    const refused = await refreshAccessToken({ loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: tokens.refreshToken! }).catch((e: unknown) => e);
    assert.ok(refused instanceof AuthError);
    assert.equal(refused.errorDescription, 'expired access/refresh token');
    assert.match(refused.explanation, /connect the account to Salesforce again/);
  });
});

describe('client credentials and JWT bearer', () => {
  test('client credentials run as the app\'s run-as user', async () => {
    const tokens = await clientCredentialsGrant({ loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    assert.equal(await dataCall(tokens.instanceUrl, tokens.accessToken), 200);
    const identity = await (await fetch(tokens.idUrl, { headers: { Authorization: `Bearer ${tokens.accessToken}` } })).json() as { username: string };
    assert.equal(identity.username, 'admin@example.com');
  });

  test('an app without a run-as user is explained', async () => {
    const error = await clientCredentialsGrant({ loginUrl: emu.url, clientId: 'emulator-limited-client-id', clientSecret: 'emulator-limited-client-secret' }).catch((e: unknown) => e);
    assert.ok(error instanceof AuthError);
    assert.match(error.explanation, /Run As/);
  });

  test('a JWT signed with the seed key logs in as its subject', async () => {
    const tokens = await jwtBearerGrant({ loginUrl: emu.url, clientId: CLIENT_ID, username: 'marta.rossi@contactco.example', privateKey: PRIVATE_KEY });
    assert.equal(await dataCall(tokens.instanceUrl, tokens.accessToken), 200);
    assert.match(tokens.idUrl, /\/005\w+$/);
  });

  test('the assertion has iss, sub, aud and a 3-minute expiry, signed RS256', () => {
    const assertion = buildJwtAssertion({ loginUrl: 'https://login.salesforce.com', clientId: 'cid', username: 'u@x', privateKey: PRIVATE_KEY, now: 1_000_000 });
    const [header, claims] = assertion.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    assert.deepEqual(header, { alg: 'RS256', typ: 'JWT' });
    assert.deepEqual(claims, { iss: 'cid', sub: 'u@x', aud: 'https://login.salesforce.com', exp: 1_000_180 });
    assert.equal(audienceFor('https://acme.my.salesforce.com'), 'https://login.salesforce.com');
    assert.equal(audienceFor('https://acme--uat.sandbox.my.salesforce.com'), 'https://test.salesforce.com');
  });

  test('a key that does not match the certificate, and a malformed key, are refused without showing the key', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const refused = await jwtBearerGrant({ loginUrl: emu.url, clientId: CLIENT_ID, username: 'admin@example.com', privateKey: other }).catch((e: unknown) => e);
    assert.ok(refused instanceof AuthError);
    assert.match(refused.explanation, /private key must match the certificate/);
    assert.throws(
      () => buildJwtAssertion({ loginUrl: emu.url, clientId: CLIENT_ID, username: 'a', privateKey: 'SECRET-NOT-A-KEY' }),
      (e: unknown) => e instanceof AuthInputError && e.field === 'privateKey' && !e.message.includes('SECRET-NOT-A-KEY'),
    );
  });
});

test('a revoked access token no longer works', async () => {
  const tokens = await passwordGrant({ loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, username: 'admin@example.com', password: PASSWORD, securityToken: SECURITY_TOKEN });
  await revokeToken({ loginUrl: emu.url, token: tokens.accessToken });
  assert.equal(await dataCall(tokens.instanceUrl, tokens.accessToken), 401);
});
