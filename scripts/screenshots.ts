// Writes a PNG of each admin UI page to docs/screenshots/, against a throwaway service and the local emulator
// with a little traffic and a scripted Asterisk, so the pictures show real data. Run: npm run screenshots
// (all pages), or name pages to write only theirs: npm run screenshots -- sources
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config.ts';
import { startService } from '../src/main.ts';
import { startEmulator } from '../src/emulator/index.ts';
import { sampleEvent, sampleAbandonedEvent, sampleTriggers } from '../src/domain/sample.ts';
import { ScriptedAmi } from '../test/sources/ami-server.ts';

const OUT = path.resolve('docs/screenshots');
const ADMIN_TOKEN = 'screenshot-admin-token-0123456789';
const INGEST_TOKEN = 'screenshot-ingest-token-0123456789';
const PASSWORD = 'correct horse battery';
const AMI_USER = { username: 'ctibridge', secret: 'screenshot-ami-secret' };
const only = process.argv.slice(2);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ctibridge-shots-'));
const emulator = await startEmulator({ port: 0 });
const pbx = new ScriptedAmi(AMI_USER);
const pbxPort = await pbx.listen();
const service = await startService(
  loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, adminToken: ADMIN_TOKEN, ingestToken: INGEST_TOKEN, logLevel: 'silent', defaultRegion: 'IT', batchWindowMs: 100, masterKey: Buffer.alloc(32, 9).toString('base64') }),
  { logger: pino({ level: 'silent' }) },
);
const base = service.url.replace('localhost', '127.0.0.1');
const admin = async (method: string, route: string, body?: unknown) => {
  const response = await fetch(`${base}${route}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.json();
};

try {
  await fetch(`${base}/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD, adminToken: ADMIN_TOKEN }) });
  await admin('POST', '/api/accounts', {
    name: 'acme', loginUrl: emulator.url, apiVersion: '62.0', fallbackOwner: 'admin@example.com',
    auth: { flow: 'password', clientId: 'emulator-client-id', clientSecret: 'emulator-client-secret', username: 'admin@example.com', password: 'emulator-password', securityToken: 'EMULATORTOKEN' },
  });
  for (const trigger of sampleTriggers('acme')) await admin('POST', '/api/triggers', trigger);
  await admin('POST', '/api/sources', { name: 'pbx', type: 'ami', host: '127.0.0.1', port: pbxPort, ...AMI_USER, rules: { trunkChannelPrefixes: ['PJSIP/telco-'] } });
  const events = Array.from({ length: 12 }, (_, i) => {
    const sample = i % 4 === 3 ? sampleAbandonedEvent : sampleEvent;
    return { ...sample, id: `shot-${i}`, interaction: { ...sample.interaction, id: `1764321300.${100 + i}` } };
  });
  await fetch(`${base}/ingest/events`, { method: 'POST', headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(events) });
  for (let i = 0; i < 100 && (await admin('GET', '/api/stats')).jobs.pending > 0; i++) await new Promise((r) => setTimeout(r, 100));

  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, deviceScaleFactor: 1 });
  const shot = async (name: string) => {
    if (only.length > 0 && !only.includes(name)) return;
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
    console.log(`docs/screenshots/${name}.png`);
  };

  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: 'Log in to ctibridge' }).waitFor();
  await shot('login');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.locator('svg polyline').first().waitFor();
  await shot('dashboard');

  await page.getByRole('link', { name: 'Salesforce accounts' }).click();
  await page.locator('section[data-account="acme"]').getByRole('button', { name: 'Test connection' }).click();
  await page.locator('.test-verdict').waitFor();
  await page.getByRole('button', { name: 'Add account' }).click();
  await shot('accounts');

  await page.getByRole('link', { name: 'Sources', exact: true }).click();
  await page.locator('section[data-source="pbx"] [data-state="connected"]').waitFor();
  await page.getByRole('button', { name: 'Add source' }).click();
  await shot('sources');

  await page.getByRole('link', { name: 'Triggers' }).click();
  await page.locator('tr[data-trigger="log calls"]').getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('button', { name: 'Dry run' }).click();
  await page.locator('.dry-run-steps').waitFor();
  await shot('triggers');

  await page.getByRole('link', { name: 'Deliveries' }).click();
  await page.locator('table[aria-label="Deliveries"]').waitFor();
  await page.locator('tr[data-kind="salesforce.logActivity"] button.link').first().click();
  await page.locator('.timeline').waitFor();
  await shot('deliveries');

  await page.getByRole('link', { name: 'Agents' }).click();
  await page.locator('table[aria-label="Agents"]').waitFor();
  await shot('agents');

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'API tokens' }).waitFor();
  await shot('settings');
  await browser.close();
} finally {
  await service.close();
  await emulator.close();
  await pbx.close();
  rmSync(dataDir, { recursive: true, force: true });
}
