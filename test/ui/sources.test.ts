import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestService, ADMIN_TOKEN, waitFor, type TestService } from '../helpers/service.ts';
import { field, ScriptedAmi } from '../sources/ami-server.ts';
import { launchChromium, openPage } from './browser.ts';

const AMI_USER = { username: 'ctibridge', secret: 'S3cret-AMI-never-in-the-page' };
const PASSWORD = 'correct horse battery';

let svc: TestService;
let pbx: ScriptedAmi;
let pbxPort: number;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  svc = await startTestService();
  pbx = new ScriptedAmi(AMI_USER);
  pbxPort = await pbx.listen();
  const setup = await fetch(`${svc.url}/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ops', password: PASSWORD, adminToken: ADMIN_TOKEN }) });
  assert.equal(setup.status < 300, true, `setup: ${setup.status}`);
  browser = await launchChromium();
  page = await openPage(browser, pageErrors);
});
after(async () => {
  await browser?.close();
  await svc?.close();
  await pbx?.close();
});

const card = (name: string) => page.locator(`section[data-source="${name}"]`);
const stateOf = (name: string, state: string) => card(name).locator(`[data-state="${state}"]`);

/** The secret anywhere in the page: its markup, its text, or the value of any control. */
async function secretShown(): Promise<boolean> {
  const values = await page.locator('input, textarea').evaluateAll((controls) => controls.map((c) => (c as HTMLInputElement).value));
  return (await page.content()).includes(AMI_USER.secret) || values.some((value) => value.includes(AMI_USER.secret));
}

test('log in and open Sources from the navigation', async () => {
  await page.goto(`${svc.url.replace('localhost', '127.0.0.1')}/`);
  await page.getByLabel('Username').fill('ops');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByRole('link', { name: 'Sources', exact: true }).click();
  await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
  await page.getByText('No source yet.').waitFor();
});

test('a bad host is refused naming the field, and the form keeps what was typed', async () => {
  await page.getByRole('button', { name: 'Add source' }).click();
  await page.getByText('timestampevents = yes', { exact: false }).first().waitFor();
  await page.getByLabel('Name', { exact: true }).fill('pbx');
  await page.getByLabel('Host', { exact: true }).fill('tcp://127.0.0.1:5038');
  await page.getByLabel('Manager username').fill(AMI_USER.username);
  await page.getByLabel('Manager secret').fill(AMI_USER.secret);
  await page.getByRole('button', { name: 'Save source' }).click();
  // The error box exists before the API answers; wait for the answer's text rather than read it empty.
  const errorBox = page.locator('form .form-error').filter({ hasText: /\S/ });
  await errorBox.waitFor();
  const problems = await errorBox.innerText();
  assert.match(problems, /host/);
  assert.ok(!problems.includes(AMI_USER.secret), 'the error does not echo the secret');
  assert.equal(pbx.connections, 0);
});

test('add a source with the keyboard: it connects to Asterisk, the card shows connected, the secret is nowhere in the page', async () => {
  await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await page.getByLabel('Port').fill(String(pbxPort));
  await page.getByLabel('Trunk channel prefixes').fill('PJSIP/telco-, PJSIP/backup-');
  await page.getByLabel('Trunk channel prefixes').press('Enter');
  await page.getByText('Source pbx saved: connecting to Asterisk.').waitFor();
  await stateOf('pbx', 'connected').waitFor();
  assert.equal(await stateOf('pbx', 'connected').innerText(), 'connected');
  assert.equal(field(pbx.actionsNamed('Login').at(-1)!, 'Username'), AMI_USER.username);
  assert.equal(await page.locator('form').count(), 0, 'the form (and its secret field) is gone');
  assert.equal(await secretShown(), false);

  const stored = (await svc.api<Array<{ rules: Record<string, unknown>; secret: unknown }>>('GET', '/api/sources')).body[0];
  assert.deepEqual(stored.rules.trunkChannelPrefixes, ['PJSIP/telco-', 'PJSIP/backup-']);
  assert.deepEqual(stored.secret, { set: true });
});

test('edit keeps the secret when left empty; disable logs off; enable connects again', async () => {
  await card('pbx').getByRole('button', { name: 'Edit' }).click();
  assert.equal(await page.getByLabel('Manager secret').inputValue(), '');
  assert.equal(await page.getByLabel('Manager secret').getAttribute('placeholder'), 'saved (leave empty to keep)');
  assert.equal(await secretShown(), false);
  const logins = pbx.successfulLogins;
  await page.getByLabel('Dial context').fill('from-agents');
  await page.getByRole('button', { name: 'Save source' }).click();
  await waitFor(async () => pbx.successfulLogins === logins + 1, 'the restart to log in with the kept secret');
  await stateOf('pbx', 'connected').waitFor();
  const saved = (await svc.api<Array<{ originate: Record<string, unknown>; rules: Record<string, unknown> }>>('GET', '/api/sources')).body[0];
  assert.equal(saved.originate.context, 'from-agents');
  assert.deepEqual(saved.rules.trunkChannelPrefixes, ['PJSIP/telco-', 'PJSIP/backup-'], 'rules untouched by the edit are kept');

  await card('pbx').getByRole('button', { name: 'Disable' }).click();
  await stateOf('pbx', 'disabled').waitFor();
  await pbx.waitFor(() => pbx.actionsNamed('Logoff').length >= 1, 'the logoff');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Enable', 'focus stays on the toggle');
  await page.keyboard.press('Enter');
  await stateOf('pbx', 'connected').waitFor();
});

test('delete asks first, then logs off and removes the card', async () => {
  page.once('dialog', (dialog) => dialog.accept());
  const logoffs = pbx.actionsNamed('Logoff').length;
  await card('pbx').getByRole('button', { name: 'Delete' }).click();
  await page.getByText('Source pbx deleted.').waitFor();
  await page.getByText('No source yet.').waitFor();
  assert.ok(pbx.actionsNamed('Logoff').length > logoffs);
  assert.deepEqual((await svc.api('GET', '/api/sources')).body, []);
  assert.deepEqual(pageErrors, []);
});
