import path from 'node:path';
import { z } from 'zod';
import { CtiError } from './errors.ts';

/** Service settings from the environment and command line. Pure: callers pass `env` and flags in. */
const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().default('0.0.0.0'),
  dataDir: z.string().default('./data'),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL').optional(),
  masterKey: z.string().optional(),
  adminToken: z.string().min(16, 'at least 16 characters').optional(),
  ingestToken: z.string().min(16, 'at least 16 characters').optional(),
  defaultRegion: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code such as IT or US').default('US'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public base URL (for OAuth callback and CTI links); defaults to http://localhost:PORT. */
  publicUrl: z.string().url().optional(),
  /** How long a batch may wait for more work when the account is busy. */
  batchWindowMs: z.coerce.number().int().min(0).max(60_000).default(2000),
  batchMaxRecords: z.coerce.number().int().min(1).max(200).default(200),
  /** Switch batching and lookup caching off (the benchmark's naive run). */
  naive: z.boolean().default(false),
  demo: z.boolean().default(false),
  /** Days of finished history (done jobs, their events) to keep; 0 keeps everything. */
  retentionDays: z.coerce.number().min(0).default(30),
  /** How long a leased job stays claimed; a process that dies gives its jobs back after this. */
  leaseMs: z.coerce.number().int().min(1000).default(5 * 60_000),
  /** How long an account waits after Salesforce says its daily API limit is spent. */
  quotaPauseMs: z.coerce.number().int().min(100).default(5 * 60_000),
  workerId: z.string().optional(),
});

export type ServiceConfig = z.infer<typeof configSchema>;

const ENV_NAMES: Record<string, keyof ServiceConfig> = {
  PORT: 'port',
  HOST: 'host',
  CTIBRIDGE_DATA_DIR: 'dataDir',
  DATABASE_URL: 'databaseUrl',
  CTIBRIDGE_MASTER_KEY: 'masterKey',
  CTIBRIDGE_ADMIN_TOKEN: 'adminToken',
  CTIBRIDGE_INGEST_TOKEN: 'ingestToken',
  CTIBRIDGE_DEFAULT_REGION: 'defaultRegion',
  LOG_LEVEL: 'logLevel',
  CTIBRIDGE_PUBLIC_URL: 'publicUrl',
  CTIBRIDGE_BATCH_WINDOW_MS: 'batchWindowMs',
  CTIBRIDGE_LEASE_MS: 'leaseMs',
  CTIBRIDGE_RETENTION_DAYS: 'retentionDays',
  CTIBRIDGE_QUOTA_PAUSE_MS: 'quotaPauseMs',
  CTIBRIDGE_WORKER_ID: 'workerId',
};

const SECRET_KEYS: Array<keyof ServiceConfig> = ['masterKey', 'adminToken', 'ingestToken', 'databaseUrl'];

export function loadConfig(env: NodeJS.ProcessEnv, flags: Partial<Record<keyof ServiceConfig, unknown>> = {}): ServiceConfig {
  const fromEnv: Record<string, unknown> = {};
  for (const [envName, key] of Object.entries(ENV_NAMES)) {
    const value = env[envName];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  const merged = { ...fromEnv, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const envByKey = Object.fromEntries(Object.entries(ENV_NAMES).map(([name, key]) => [key, name]));
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      const where = envByKey[key] ? `${envByKey[key]} (${key})` : key;
      // Never echo the rejected value: some of these settings are secrets.
      return `${where}: ${issue.message}`;
    });
    throw new CtiError('CONFIG_INVALID', `Invalid configuration:\n  ${problems.join('\n  ')}`, { problems });
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) };
}

/** The config with secrets masked, for logs and `/api/settings`. */
export function redactConfig(config: ServiceConfig): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, SECRET_KEYS.includes(key as keyof ServiceConfig) && value ? '(set)' : value]),
  );
}
