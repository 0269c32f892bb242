import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type ServiceConfig } from '../../src/config.ts';
import { startService, type RunningService } from '../../src/main.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const INGEST_TOKEN = 'test-ingest-token-0123456789';

export interface TestService {
  service: RunningService;
  url: string;
  dataDir: string;
  api<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  postEvents(events: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export function testConfig(dataDir: string, overrides: Partial<Record<keyof ServiceConfig, unknown>> = {}): ServiceConfig {
  return loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      adminToken: ADMIN_TOKEN,
      ingestToken: INGEST_TOKEN,
      logLevel: 'silent',
      defaultRegion: 'IT',
      batchWindowMs: 100,
      masterKey: Buffer.alloc(32, 7).toString('base64'),
      ...overrides,
    },
  );
}

export async function startTestService(overrides: Partial<Record<keyof ServiceConfig, unknown>> = {}, dataDir?: string): Promise<TestService> {
  const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'ctibridge-test-'));
  const service = await startService(testConfig(dir, overrides), { logger: pino({ level: 'silent' }) });
  const api = async <T,>(method: string, route: string, body?: unknown) => {
    const response = await fetch(`${service.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };
  return {
    service,
    url: service.url,
    dataDir: dir,
    api,
    async postEvents(events, headers = {}) {
      const response = await fetch(`${service.url}/ingest/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json', ...headers },
        body: typeof events === 'string' ? events : JSON.stringify(events),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async close() {
      await service.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function emulatorAccount(emulator: RunningEmulator, overrides: Record<string, unknown> = {}) {
  return {
    name: 'acme',
    loginUrl: emulator.url,
    apiVersion: '62.0',
    auth: { flow: 'password', clientId: 'emulator-client-id', clientSecret: 'emulator-client-secret', username: 'admin@example.com', password: 'emulator-password', securityToken: 'EMULATORTOKEN' },
    fallbackOwner: 'admin@example.com',
    ...overrides,
  };
}

export async function emulatorRecords(emulator: RunningEmulator, object: string): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${emulator.url}/__emulator/records/${object}`);
  const body = (await response.json()) as { records?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>;
  return Array.isArray(body) ? body : (body.records ?? []);
}

export async function setFaults(emulator: RunningEmulator, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${emulator.url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (!response.ok) throw new Error(`faults: ${response.status} ${await response.text()}`);
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export { startEmulator };
