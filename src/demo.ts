import path from 'node:path';
import type { Logger } from 'pino';
import { startEmulator, type RunningEmulator } from './emulator/index.ts';
import { sampleTriggers } from './domain/sample.ts';
import type { Store } from './store/types.ts';

export const DEMO_ACCOUNT = 'demo';

export interface DemoHandle {
  emulatorUrl: string;
  close(): Promise<void>;
}

/**
 * `npm start` with no Salesforce org configured: run the bundled emulated org, register it as account `demo`
 * with the sample triggers, so a first look needs no Salesforce credentials. Its records persist in the data
 * directory; the emulator's port changes between runs, so the account's login URL is refreshed each start.
 */
export async function startDemo(store: Store, logger: Logger, dataDir: string): Promise<DemoHandle | null> {
  const accounts = await store.accounts.list();
  if (accounts.some((a) => a.config.name !== DEMO_ACCOUNT)) {
    logger.info('Salesforce accounts are configured: the demo org is not started');
    return null;
  }
  const emulator: RunningEmulator = await startEmulator({ port: 0, stateFile: path.join(dataDir, 'demo-org.json') });
  await store.accounts.upsert({
    name: DEMO_ACCOUNT,
    loginUrl: emulator.url,
    apiVersion: '62.0',
    auth: { flow: 'password', clientId: 'emulator-client-id', clientSecret: 'emulator-client-secret', username: 'admin@example.com', password: 'emulator-password', securityToken: 'EMULATORTOKEN' },
    fallbackOwner: 'admin@example.com',
    externalIdField: null,
    markerField: null,
    apiShare: 0.2,
  });
  if ((await store.triggers.list()).length === 0) {
    for (const trigger of sampleTriggers(DEMO_ACCOUNT)) {
      const { name, enabled, ...definition } = trigger;
      await store.triggers.save({ name, enabled, definition });
    }
  }
  logger.info(`Demo mode: no Salesforce org is configured, so a local emulated org runs at ${emulator.url} as account "${DEMO_ACCOUNT}"`);
  return { emulatorUrl: emulator.url, close: () => emulator.close() };
}
