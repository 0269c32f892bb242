import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { emulatorAccount, emulatorRecords, startEmulator, startTestService, waitFor, type TestService } from '../helpers/service.ts';
import { FAKE_ORG_ORIGIN, launchBrowser, openCtiCalls, serveFakeOpenCti } from './browser.ts';

/**
 * The softphone end to end: the real service (store, worker, connector) against the emulated org, the page
 * in headless Chromium inside a fake Salesforce (a test double of Open CTI), and a fake XCALLY originate
 * endpoint as the click-to-dial target.
 */

const MARTA = { id: 'marta', email: 'marta.rossi@contactco.example', extension: '201', name: 'Marta Rossi' };
const ANNA_PHONE = '+39 347 555 0101';
const UNKNOWN_PHONE = '+39 02 9999 0000';

const popLookup = {
  name: 'find the caller while it rings', enabled: true, on: ['voice.ringing'], match: 'all', conditions: [],
  actions: [{ name: 'customer', type: 'salesforce.findCustomer', account: 'acme', by: 'phone', objects: ['Contact', 'Lead'], onMany: 'preferContact', onNone: 'continue' }],
};
const logCalls = {
  name: 'log calls', enabled: true, on: ['voice.ended'], match: 'all', conditions: [],
  actions: [
    { name: 'customer', type: 'salesforce.findCustomer', account: 'acme', by: 'phone', objects: ['Contact', 'Lead'], onMany: 'preferContact', onNone: 'continue' },
    { name: 'task', type: 'salesforce.logActivity', account: 'acme', fields: { Subject: 'Call from {{ interaction.customer.phone }}', Description: 'Logged by ctibridge.' } },
  ],
};

let emulator: RunningEmulator;
let svc: TestService;
let browser: Browser;
let agentToken: string;
let xcally: http.Server;
const originates: Array<{ url: string; body: Record<string, unknown> }> = [];
let seq = 0;

function callEvent(interactionId: string, type: string, phone: string, extra: Record<string, unknown> = {}) {
  seq += 1;
  return {
    id: `cti-${process.pid}-${seq}`,
    type,
    occurredAt: new Date(Date.UTC(2026, 10, 28, 9, 0, seq)).toISOString(),
    interaction: { id: interactionId, channel: 'voice', direction: 'inbound', queue: 'support', customer: { phone }, agent: { email: MARTA.email, extension: MARTA.extension }, ...extra },
  };
}

async function post(event: unknown): Promise<void> {
  const response = await svc.postEvents(event);
  assert.equal(response.status, 202, JSON.stringify(response.body));
}

async function contactIdByName(lastName: string): Promise<string> {
  const contact = (await emulatorRecords(emulator, 'Contact')).find((c) => c.LastName === lastName);
  assert.ok(contact, `seed Contact ${lastName}`);
  return String(contact.Id);
}

async function openSoftphone(context: BrowserContext, query = `?sfdcIFrameOrigin=${encodeURIComponent(FAKE_ORG_ORIGIN)}&mode=Lightning`): Promise<Page> {
  const page = await context.newPage();
  await serveFakeOpenCti(page);
  await page.goto(`${svc.url}/cti/softphone${query}`);
  return page;
}

async function signIn(page: Page): Promise<void> {
  await page.fill('input[name=login]', MARTA.email);
  await page.fill('input[name=token]', agentToken);
  await page.click('#sign-in button[type=submit]');
  await page.waitForFunction(() => document.getElementById('feed-status')?.textContent === 'Live.');
}

before(async () => {
  emulator = await startEmulator({ port: 0 });
  svc = await startTestService();
  assert.equal((await svc.api('POST', '/api/accounts', emulatorAccount(emulator))).status, 201);
  assert.equal((await svc.api('POST', '/api/triggers', popLookup)).status, 201);
  assert.equal((await svc.api('POST', '/api/triggers', logCalls)).status, 201);
  const issued = await svc.api<{ token: string }>('POST', '/api/cti/agents', MARTA);
  assert.equal(issued.status, 201);
  agentToken = issued.body.token;

  xcally = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      originates.push({ url: req.url ?? '', body: JSON.parse(body || '{}') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"motion-call-1"}');
    });
  });
  await new Promise<void>((resolve) => xcally.listen(0, '127.0.0.1', resolve));
  const dialUrl = `http://127.0.0.1:${(xcally.address() as AddressInfo).port}/api/originate/{number}`;
  assert.equal((await svc.api('PUT', '/api/cti/settings', { dial: { kind: 'xcally', url: dialUrl, method: 'POST' } })).status, 200);

  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await svc?.close();
  await emulator?.close();
  await new Promise((resolve) => (xcally ? xcally.close(resolve) : resolve(undefined)));
});

describe('Open CTI softphone', () => {
  test('an inbound call from a known Contact pops that Contact', async () => {
    const context = await browser.newContext();
    try {
      const page = await openSoftphone(context);
      await signIn(page);
      const anna = await contactIdByName('Ferrari');
      await post(callEvent('call-known', 'voice.ringing', ANNA_PHONE));
      const pops = await waitFor(async () => {
        const calls = await openCtiCalls(page, 'screenPop');
        return calls.length ? calls : null;
      }, 'screenPop');
      assert.deepEqual(pops[0].args, { type: 'sobject', params: { recordId: anna } });
      assert.equal((await openCtiCalls(page, 'searchAndScreenPop')).length, 0);
      await page.waitForFunction(() => document.getElementById('call-record')?.textContent?.includes('Anna Ferrari'));
      assert.match((await page.textContent('#call-caller')) ?? '', /\+39 347 555 0101/);
      assert.match((await page.textContent('#call-queue')) ?? '', /support/);
      assert.equal((await openCtiCalls(page, 'enableClickToDial')).length, 1);
    } finally {
      await context.close();
    }
  });

  test('a number nobody knows runs searchAndScreenPop with the number', async () => {
    const context = await browser.newContext();
    try {
      const page = await openSoftphone(context);
      await signIn(page);
      await post(callEvent('call-unknown', 'voice.ringing', UNKNOWN_PHONE));
      const searches = await waitFor(async () => {
        const calls = await openCtiCalls(page, 'searchAndScreenPop');
        return calls.length ? calls : null;
      }, 'searchAndScreenPop');
      assert.deepEqual(searches[0].args, { searchParams: UNKNOWN_PHONE, callType: 'inbound', deferred: false });
      assert.equal((await openCtiCalls(page, 'screenPop')).length, 0);
    } finally {
      await context.close();
    }
  });

  test('click-to-dial reaches /cti/dial with the number and the agent, and the contact center is asked to call', async () => {
    const context = await browser.newContext();
    try {
      const page = await openSoftphone(context);
      await signIn(page);
      const anna = await contactIdByName('Ferrari');
      const dialRequest = page.waitForRequest((request) => request.url().endsWith('/cti/dial') && request.method() === 'POST');
      await page.evaluate(
        (payload) => (window as unknown as { __fireClickToDial: (p: unknown) => void }).__fireClickToDial(payload),
        { number: ANNA_PHONE, recordId: anna, recordName: 'Anna Ferrari', objectType: 'Contact' },
      );
      const sent = (await dialRequest).postDataJSON() as Record<string, unknown>;
      assert.equal(sent.number, ANNA_PHONE);
      assert.equal(sent.agent, MARTA.email);
      await page.waitForFunction(() => document.getElementById('dial-status')?.textContent?.startsWith('Calling +39 347 555 0101:'));
      const originate = originates.at(-1);
      assert.ok(originate);
      assert.equal(originate.url, '/api/originate/%2B393475550101');
      assert.equal(originate.body.extension, MARTA.extension);
      assert.equal(originate.body.agentEmail, MARTA.email);
      assert.equal(originate.body.recordId, anna);
    } finally {
      await context.close();
    }
  });

  test('the agent\'s note and disposition land on the Task the trigger logged, not on a second Task', async () => {
    const context = await browser.newContext();
    try {
      const page = await openSoftphone(context);
      await signIn(page);
      await post(callEvent('call-wrap', 'voice.ringing', ANNA_PHONE));
      await page.waitForFunction(() => document.getElementById('call-phase')?.textContent === 'ringing');
      await post(callEvent('call-wrap', 'voice.ended', ANNA_PHONE, { startedAt: '2026-11-28T09:00:00Z', endedAt: '2026-11-28T09:04:00Z', talkSec: 200, durationSec: 240 }));
      await page.waitForFunction(() => document.getElementById('call-phase')?.textContent === 'ended');
      await page.fill('#wrap-up textarea[name=note]', 'Wants the invoice resent to accounting.');
      await page.fill('#wrap-up input[name=disposition]', 'Resolved');
      await page.click('#wrap-up button[type=submit]');
      await page.waitForFunction(() => !['', 'Saving…'].includes(document.getElementById('wrap-up-status')?.textContent ?? ''), undefined, { timeout: 20_000 });
      assert.equal(await page.textContent('#wrap-up-status'), 'Saved on the call\'s Task.');
      const tasks = (await emulatorRecords(emulator, 'Task')).filter((t) => t.CallObject === 'call-wrap');
      assert.equal(tasks.length, 1);
      assert.match(String(tasks[0].Description), /^Logged by ctibridge\.\n\n--- Agent note ---\nMarta Rossi, .+\nWants the invoice resent to accounting\.$/);
      assert.equal(tasks[0].CallDisposition, 'Resolved');
      assert.ok((await openCtiCalls(page, 'refreshView')).length >= 1);
      assert.equal((await openCtiCalls(page, 'saveLog')).length, 0);
    } finally {
      await context.close();
    }
  });

  test('opened outside Salesforce the page says Open CTI is absent and still shows live events', async () => {
    const context = await browser.newContext();
    try {
      const page = await openSoftphone(context, '');
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await signIn(page);
      assert.match((await page.textContent('#opencti-status')) ?? '', /Open CTI is not available/);
      await post(callEvent('call-direct', 'voice.ringing', UNKNOWN_PHONE));
      await page.waitForSelector('#recent li[data-interaction-id="call-direct"]');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a hostile sfdcIFrameOrigin loads no script and the page still works', async () => {
    const context = await browser.newContext();
    try {
      const page = await openSoftphone(context, `?sfdcIFrameOrigin=${encodeURIComponent('https://evil.example')}`);
      assert.match((await page.textContent('#opencti-status')) ?? '', /not a Salesforce domain/);
      assert.equal(await page.evaluate(() => document.querySelectorAll('script[src*="evil"]').length), 0);
    } finally {
      await context.close();
    }
  });
});

describe('agent routes', () => {
  const asAgent = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  test('a wrong token or another agent\'s name is refused', async () => {
    const signIn = await fetch(`${svc.url}/cti/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'luca', token: agentToken }) });
    assert.equal(signIn.status, 401);
    assert.equal((await fetch(`${svc.url}/cti/events`, { headers: { authorization: 'Bearer cta_nope' } })).status, 401);
    const dialAsOther = await fetch(`${svc.url}/cti/dial`, { method: 'POST', headers: asAgent(agentToken), body: JSON.stringify({ number: '123', agent: 'luca' }) });
    assert.equal(dialAsOther.status, 403);
    assert.equal((await svc.api('GET', '/api/cti/agents')).status, 200);
    assert.equal((await fetch(`${svc.url}/api/cti/agents`)).status, 401);
  });

  test('dialing with no adapter configured says so', async () => {
    const saved = (await svc.api<{ dial: unknown }>('GET', '/api/cti/settings')).body;
    try {
      await svc.api('PUT', '/api/cti/settings', { ...saved, dial: { kind: 'none' } });
      const response = await fetch(`${svc.url}/cti/dial`, { method: 'POST', headers: asAgent(agentToken), body: JSON.stringify({ number: ANNA_PHONE }) });
      assert.equal(response.status, 501);
      assert.match(((await response.json()) as { message: string }).message, /click-to-dial is not set up/);
    } finally {
      await svc.api('PUT', '/api/cti/settings', saved);
    }
  });

  test('the pop link redirects to the matched record, or to a search for an unknown number', async () => {
    const anna = await contactIdByName('Ferrari');
    await post(callEvent('call-pop', 'voice.ringing', ANNA_PHONE));
    const known = await waitFor(async () => {
      const response = await fetch(`${svc.url}/cti/pop/call-pop`, { redirect: 'manual' });
      const location = response.headers.get('location') ?? '';
      return response.status === 302 && location.includes('/lightning/r/') ? location : null;
    }, 'pop redirect to the record');
    assert.equal(known, `${emulator.url}/lightning/r/Contact/${anna}/view`);
    await post(callEvent('call-pop-unknown', 'voice.ringing', UNKNOWN_PHONE));
    const unknown = await waitFor(async () => {
      const response = await fetch(`${svc.url}/cti/pop/call-pop-unknown`, { redirect: 'manual' });
      return response.status === 302 ? response.headers.get('location') : null;
    }, 'pop redirect to a search');
    assert.equal(unknown, `${emulator.url}/_ui/search/ui/UnifiedSearchResults?searchType=2&str=${encodeURIComponent(UNKNOWN_PHONE)}`);
    assert.equal((await fetch(`${svc.url}/cti/pop/never-seen`, { redirect: 'manual' })).status, 404);
  });

  test('GET /cti/callcenter.xml carries this service\'s adapter URL', async () => {
    const response = await fetch(`${svc.url}/cti/callcenter.xml`);
    assert.equal(response.status, 200);
    const xml = await response.text();
    assert.ok(xml.includes(`>${svc.url}/cti/softphone</item>`), xml);
    assert.match(xml, /<item sortOrder="\d+" name="reqDialSource" label="Click-to-dial source">xcally<\/item>/);
  });
});
