import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestService, startEmulator, ADMIN_TOKEN, type TestService } from '../helpers/service.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { sampleEvent } from '../../src/domain/sample.ts';
import { launchChromium, openPage } from './browser.ts';

let svc: TestService;
let emulator: RunningEmulator;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  emulator = await startEmulator({ port: 0 });
  svc = await startTestService();
  browser = await launchChromium();
  page = await openPage(browser, pageErrors);
});
after(async () => {
  await browser?.close();
  await svc?.close();
  await emulator?.close();
});

const card = (name: string) => page.locator(`section[data-account="${name}"]`);

async function fillAccount(fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
}

test('first run: create the admin user with the service token, log out, log in', async () => {
  await page.goto(`${svc.url.replace('localhost', '127.0.0.1')}/`);
  await page.getByRole('heading', { name: 'Welcome to ctibridge' }).waitFor();
  await fillAccount({ Username: 'ops', Password: 'correct horse battery', 'Repeat the password': 'correct horse battery', 'Service admin token': ADMIN_TOKEN });
  await page.getByRole('button', { name: 'Create admin user' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in to ctibridge' }).waitFor();
  await fillAccount({ Username: 'ops', Password: 'not the password' });
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('wrong username or password').waitFor();
  await fillAccount({ Password: 'correct horse battery' });
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
});

test('add an account against the emulator: Test connection passes; a wrong security token is named as the cause', async () => {
  await page.getByRole('link', { name: 'Salesforce accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await fillAccount({
    Name: 'acme', 'Login URL': emulator.url, 'Consumer Key (client id)': 'emulator-client-id', 'Consumer Secret': 'emulator-client-secret',
    Username: 'admin@example.com', Password: 'emulator-password', 'Security token': 'EMULATORTOKEN', 'Fallback owner': 'admin@example.com',
  });
  await page.getByRole('button', { name: 'Save account' }).click();
  await card('acme').getByRole('button', { name: 'Test connection' }).click();
  await card('acme').locator('.test-verdict').getByText('Every check passed.').waitFor();

  await card('acme').getByRole('button', { name: 'Edit' }).click();
  await fillAccount({ 'Security token': 'WRONGTOKEN' });
  await page.getByRole('button', { name: 'Save account' }).click();
  await card('acme').getByRole('button', { name: 'Test connection' }).click();
  await card('acme').locator('.test-verdict').getByText('Some checks failed').waitFor();
  const fixes = (await card('acme').locator('li[data-status="fail"] .fix').allTextContents()).join(' ');
  assert.match(fixes, /security token/i);

  await card('acme').getByRole('button', { name: 'Edit' }).click();
  await fillAccount({ 'Security token': 'EMULATORTOKEN' });
  await page.getByRole('button', { name: 'Save account' }).click();
  await card('acme').getByRole('button', { name: 'Test connection' }).click();
  await card('acme').locator('.test-verdict').getByText('Every check passed.').waitFor();
});

test('connect an account through the OAuth web-server flow by clicking through the approval page', async () => {
  await page.getByRole('button', { name: 'Add account' }).click();
  await fillAccount({ Name: 'acmeweb', 'Login URL': emulator.url, 'Consumer Key (client id)': 'emulator-client-id', 'Consumer Secret': 'emulator-client-secret' });
  await page.getByLabel('Login flow').selectOption('webServer');
  await page.getByRole('button', { name: 'Save account' }).click();
  await card('acmeweb').getByText('not connected').waitFor();
  await card('acmeweb').getByRole('button', { name: 'Connect with Salesforce' }).click();
  await page.waitForURL(`${emulator.url}/**`);
  await page.locator('input[name="username"]').fill('admin@example.com');
  await page.locator('input[name="password"]').fill('emulator-password');
  await page.getByRole('button', { name: 'Log In' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByText('Account acmeweb is connected to Salesforce').waitFor();
  const stored = await svc.service.store.accounts.get('acmeweb');
  assert.equal(stored?.config.auth.flow, 'webServer');
  assert.ok(stored?.config.auth.flow === 'webServer' && stored.config.auth.refreshToken, 'the refresh token is stored');
  const listed = await svc.api<Array<{ name: string; auth: Record<string, unknown> }>>('GET', '/api/accounts');
  assert.deepEqual(listed.body.find((a) => a.name === 'acmeweb')?.auth.refreshToken, { set: true });
  await card('acmeweb').getByRole('button', { name: 'Test connection' }).click();
  await card('acmeweb').locator('.test-verdict').getByText('Every check passed.').waitFor();
});

test('build a trigger, dry-run it, post an event and watch the Task appear in the deliveries log with a link', async () => {
  await page.getByRole('link', { name: 'Triggers' }).click();
  await page.getByRole('button', { name: 'New trigger' }).click();
  await page.getByLabel('Name', { exact: true }).first().fill('log inbound calls');
  await page.getByRole('button', { name: 'Add condition' }).click();
  for (const select of await page.getByLabel('Salesforce account').all()) await select.selectOption('acme');
  await page.getByRole('button', { name: 'Dry run' }).click();
  const steps = page.locator('.dry-run-steps');
  await steps.getByText('Would create a Task:').waitFor();
  assert.match(await steps.textContent() ?? '', /CallObject/);
  await page.getByRole('button', { name: 'Save trigger' }).click();
  await page.getByText('Trigger "log inbound calls" saved and enabled.').waitFor();

  const posted = await svc.postEvents({ ...sampleEvent, id: 'ui-evt-1' });
  assert.equal(posted.status, 202);
  await page.getByRole('link', { name: 'Deliveries' }).click();
  const link = page.locator('tr[data-kind="salesforce.logActivity"][data-state="done"] a.record-link');
  await link.waitFor({ timeout: 20_000 }).catch(async (error) => {
    const jobs = await svc.api('GET', '/api/jobs');
    throw new Error(`${(error as Error).message}; jobs: ${JSON.stringify(jobs.body)}; page: ${await page.locator('main').innerText()}`);
  });
  const href = await link.getAttribute('href');
  assert.match(href ?? '', new RegExp(`^${emulator.url}/lightning/r/Task/00T\\w{12,15}/view$`));

  await page.locator('tr[data-kind="salesforce.logActivity"] button.link').first().click();
  await page.getByRole('heading', { name: `Interaction ${sampleEvent.interaction.id}` }).waitFor();
  await page.getByRole('link', { name: /Open Task 00T/ }).waitFor();
});

test('every page loads without a script error, and the dashboard draws its charts', async () => {
  for (const name of ['Agents', 'Settings', 'Dashboard']) {
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await page.getByText('This page failed to load').count(), 0, `${name} failed to load`);
  }
  await page.locator('svg[aria-label^="Events, records"] polyline[data-series="events"]').waitFor();
  await page.locator('svg[aria-label="API quota used per account"]').waitFor();
  assert.deepEqual(pageErrors, []);
});
