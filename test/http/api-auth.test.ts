import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, ADMIN_TOKEN, type TestService } from '../helpers/service.ts';
import { openApiDocument } from '../../src/http/routes/api/openapi.ts';
import { ownerOverrides } from '../../src/http/routes/api/owner-overrides.ts';

let svc: TestService;
before(async () => {
  svc = await startTestService();
});
after(async () => {
  await svc?.close();
});

/** Every documented operation with its path made concrete. */
function documentedOperations(): Array<{ method: string; path: string; template: string }> {
  const ops: Array<{ method: string; path: string; template: string }> = [];
  for (const [template, item] of Object.entries(openApiDocument.paths)) {
    for (const method of Object.keys(item)) ops.push({ method: method.toUpperCase(), template, path: template.replace(/\{[^}]+\}/g, 'x1') });
  }
  return ops;
}

async function call(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  const response = await fetch(`${svc.url}${path}`, { method, headers: init.headers, body: init.body, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

test('every documented /api route exists, refuses anonymous callers with 401 and cross-site form posts with 403', async () => {
  const ops = documentedOperations();
  assert.ok(ops.length >= 40, `expected the whole API documented, got ${ops.length} operations`);
  for (const op of ops) {
    assert.ok(svc.service.app.hasRoute({ method: op.method as 'GET', url: op.template.replace(/\{([^}]+)\}/g, ':$1') }), `${op.method} ${op.template} is documented but not served`);
    const anonymous = await call(op.method, op.path, op.method === 'GET' || op.method === 'DELETE' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(anonymous.status, 401, `${op.method} ${op.path} anonymous`);
    if (op.method === 'GET') continue;
    const forged = await call(op.method, op.path, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: 'name=x',
    });
    assert.equal(forged.status, 403, `${op.method} ${op.path} cross-site form post`);
    const formOnly = await call(op.method, op.path, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' });
    assert.equal(formOnly.status, 403, `${op.method} ${op.path} form post without Origin`);
  }
});

test('the CTI admin routes under /api are guarded the same way', async () => {
  assert.equal((await call('GET', '/api/cti/agents')).status, 401);
  assert.equal((await call('POST', '/api/cti/agents', { headers: { 'content-type': 'text/plain', origin: 'https://evil.example' }, body: 'x' })).status, 403);
});

test('first-run setup needs the service admin token, then login gives an HttpOnly SameSite cookie and a CSRF token', async () => {
  assert.deepEqual((await call('GET', '/auth/state')).body, { setupNeeded: true, user: null });
  const json = { 'content-type': 'application/json' };
  const wrongToken = await call('POST', '/auth/setup', { headers: json, body: JSON.stringify({ username: 'ops', password: 'correct horse battery', adminToken: 'guess' }) });
  assert.equal(wrongToken.status, 403);
  const weak = await call('POST', '/auth/setup', { headers: json, body: JSON.stringify({ username: 'ops', password: 'short', adminToken: ADMIN_TOKEN }) });
  assert.equal(weak.status, 400);
  assert.match(weak.body.message, /password: use at least 10 characters/);
  const setup = await call('POST', '/auth/setup', { headers: json, body: JSON.stringify({ username: 'ops', password: 'correct horse battery', adminToken: ADMIN_TOKEN }) });
  assert.equal(setup.status, 201);
  assert.equal((await call('POST', '/auth/setup', { headers: json, body: JSON.stringify({ username: 'x', password: 'correct horse battery', adminToken: ADMIN_TOKEN }) })).status, 409);

  assert.equal((await call('POST', '/auth/login', { headers: json, body: JSON.stringify({ username: 'ops', password: 'wrong password!' }) })).status, 401);
  assert.equal((await call('POST', '/auth/login', { headers: { ...json, origin: 'https://evil.example' }, body: JSON.stringify({ username: 'ops', password: 'correct horse battery' }) })).status, 403);
  const login = await call('POST', '/auth/login', { headers: json, body: JSON.stringify({ username: 'ops', password: 'correct horse battery' }) });
  assert.equal(login.status, 200);
  const setCookie = login.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Lax/);
  assert.doesNotMatch(setCookie, /Secure/);
  const cookie = setCookie.split(';')[0];
  const csrf = login.body.csrfToken as string;

  const tls = await call('POST', '/auth/login', { headers: { ...json, 'x-forwarded-proto': 'https' }, body: JSON.stringify({ username: 'ops', password: 'correct horse battery' }) });
  assert.match(tls.headers.get('set-cookie') ?? '', /; Secure/);

  // The session reads; it changes state only with the CSRF token.
  assert.equal((await call('GET', '/api/session', { headers: { cookie } })).body.username, 'ops');
  const noCsrf = await call('POST', '/api/tokens', { headers: { cookie, ...json }, body: JSON.stringify({ name: 'script' }) });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.body.error, 'CSRF_TOKEN_INVALID');
  const created = await call('POST', '/api/tokens', { headers: { cookie, ...json, 'x-csrf-token': csrf }, body: JSON.stringify({ name: 'script' }) });
  assert.equal(created.status, 201);
  const apiToken = created.body.token as string;
  assert.match(apiToken, /^ctb_/);
  assert.ok(!JSON.stringify((await call('GET', '/api/tokens', { headers: { cookie } })).body).includes(apiToken), 'token values are never listed');

  // API token and the service admin token both work for scripts; a revoked token does not.
  assert.equal((await call('GET', '/api/accounts', { headers: { authorization: `Bearer ${apiToken}` } })).status, 200);
  assert.equal((await call('GET', '/api/accounts', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);
  assert.equal((await call('DELETE', `/api/tokens/${created.body.id}`, { headers: { cookie, 'x-csrf-token': csrf } })).status, 204);
  assert.equal((await call('GET', '/api/accounts', { headers: { authorization: `Bearer ${apiToken}` } })).status, 401);

  // Logout ends the session for good.
  assert.equal((await call('POST', '/auth/logout', { headers: { cookie, ...json }, body: '{}' })).status, 403);
  assert.equal((await call('POST', '/auth/logout', { headers: { cookie, ...json, 'x-csrf-token': csrf }, body: '{}' })).status, 200);
  assert.equal((await call('GET', '/api/session', { headers: { cookie } })).status, 401);
});

test('a manual agent mapping is saved in settings and seen by the worker\'s override function', async () => {
  const saved = await svc.api('PUT', '/api/agents/Marta.Rossi@ContactCo.example/override', { userId: '005000000000001AAA' });
  assert.equal(saved.status, 200);
  assert.equal(ownerOverrides(svc.service.store).current()['marta.rossi@contactco.example'], '005000000000001AAA');
  const bad = await svc.api<{ message: string }>('PUT', '/api/agents/a@b.example/override', { userId: 'nope' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /userId/);
  await svc.api('DELETE', '/api/agents/marta.rossi@contactco.example/override');
  assert.equal(ownerOverrides(svc.service.store).current()['marta.rossi@contactco.example'], undefined);
});

test('the UI is served with a strict Content-Security-Policy', async () => {
  const page = await fetch(`${svc.url}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.match(await page.text(), /<script type="module" src="\/ui\/app.js">/);
  assert.equal((await fetch(`${svc.url}/ui/app.js`)).status, 200);
  assert.equal((await fetch(`${svc.url}/ui/..%2Fserve.ts`)).status, 404);
});
