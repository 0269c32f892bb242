import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { ServiceConfig } from './config.ts';
import { openStore } from './store/db.ts';
import type { Store } from './store/types.ts';
import { TriggerCatalog } from './pipeline/trigger-catalog.ts';
import { OrgRegistry } from './pipeline/orgs.ts';
import { LiveBus } from './pipeline/live.ts';
import { Worker } from './pipeline/worker.ts';
import { ingestEvents } from './pipeline/ingest.ts';
import { connectOrgApi } from './pipeline/org-adapter.ts';
import { buildServer } from './http/server.ts';
import { ownerOverrides } from './http/routes/api/owner-overrides.ts';
import { rememberInstanceUrl } from './http/routes/api/links.ts';
import { startDemo, type DemoHandle } from './demo.ts';
import { loadMasterKey } from './store/secrets.ts';
import { amiSourceRepository } from './sources/ami/config.ts';
import { SourceRunner } from './pipeline/sources.ts';

/** How soon an AMI source edited through another instance (same database) is applied here. */
const SOURCES_POLL_MS = 15_000;

export interface RunningService {
  url: string;
  app: FastifyInstance;
  store: Store;
  worker: Worker;
  sources: SourceRunner;
  tokens: { admin: string; ingest: string };
  demo: DemoHandle | null;
  /** Graceful: stop taking requests, finish or release in-flight jobs, close the database. */
  close(): Promise<void>;
}

export interface ServiceExtras {
  logger?: Logger;
}

/** Tokens from the environment, else generated once and kept in the data directory (mode 0600). */
function loadTokens(config: ServiceConfig): { admin: string; ingest: string; generated: boolean } {
  const file = path.join(config.dataDir, 'tokens.json');
  let saved: { admin?: string; ingest?: string } = {};
  if (existsSync(file)) saved = JSON.parse(readFileSync(file, 'utf8'));
  const admin = config.adminToken ?? saved.admin ?? randomBytes(24).toString('base64url');
  const ingest = config.ingestToken ?? saved.ingest ?? randomBytes(24).toString('base64url');
  const generated = (!config.adminToken && !saved.admin) || (!config.ingestToken && !saved.ingest);
  if (generated) writeFileSync(file, JSON.stringify({ admin: config.adminToken ? undefined : admin, ingest: config.ingestToken ? undefined : ingest }, null, 2), { mode: 0o600 });
  return { admin, ingest, generated };
}

const RETENTION_EVERY_MS = 60 * 60_000;

/** Hourly, forget delivered history older than the retention period (dead letters stay until handled). */
function startRetention(store: Store, days: number, logger: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    store.retention
      .purge(new Date(Date.now() - days * 86_400_000).toISOString())
      .then((purged) => {
        if (purged.events || purged.jobs) logger.info(purged, `retention: forgot history older than ${days} days`);
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'retention purge failed; will try again in an hour'));
  }, RETENTION_EVERY_MS);
  timer.unref();
  return timer;
}

export async function startService(config: ServiceConfig, extras: ServiceExtras = {}): Promise<RunningService> {
  const logger = extras.logger ?? pino({ level: config.logLevel, redact: ['*.password', '*.clientSecret', '*.securityToken', '*.refreshToken', '*.privateKey', 'req.headers.authorization'] });
  mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, masterKey: config.masterKey });
  await store.migrate();
  const tokens = loadTokens(config);

  const demo = config.demo ? await startDemo(store, logger, config.dataDir) : null;

  const triggers = new TriggerCatalog(store);
  await triggers.reload();
  // The admin's manual agent → Salesforce user map; the worker reads it on every owner lookup.
  const overrides = ownerOverrides(store);
  await overrides.refresh();
  const orgs = new OrgRegistry(store, {
    ownerOverrides: overrides.current,
    onInstanceUrl: (account, instanceUrl) => rememberInstanceUrl(store, account, instanceUrl),
    connect: (account) => connectOrgApi(account, logger, (refreshToken: string) => void store.accounts.upsert({ ...account, auth: { ...account.auth, refreshToken } as typeof account.auth })),
    cacheTtlMs: config.naive ? 0 : 10 * 60_000,
  });
  const live = new LiveBus();
  const worker = new Worker(
    {
      store,
      orgs,
      triggers,
      logger: logger.child({ component: 'worker' }),
      onJobFinished: (job, outcome) =>
        live.emit('job', job, outcome.ok ? { ok: true, result: outcome.result } : { ok: false, errorCode: outcome.failure.errorCode, message: outcome.failure.message, dead: outcome.dead }),
    },
    {
      owner: config.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      batchWindowMs: config.naive ? 0 : config.batchWindowMs,
      batchMaxRecords: config.naive ? 1 : config.batchMaxRecords,
      leaseMs: config.leaseMs,
      quotaPauseMs: config.quotaPauseMs,
      maxHeld: 2000,
      concurrencyPerAccount: config.naive ? 8 : 4,
      pollMs: 250,
      defaultRegion: config.defaultRegion,
      naive: config.naive,
    },
  );

  const ingest = (events: Parameters<typeof ingestEvents>[1], source: string) => ingestEvents({ store, triggers, live, onJobsPlanned: () => worker.wake() }, events, source);
  // AMI secrets are sealed under the same master key as the accounts' (the store checked it at migrate).
  const sourceRepository = amiSourceRepository(store.settings, loadMasterKey({ masterKey: config.masterKey, dataDir: config.dataDir }));
  const sources = new SourceRunner({ repository: sourceRepository, ingest, logger, pollMs: SOURCES_POLL_MS });

  const app = await buildServer({
    config,
    store,
    triggers,
    orgs,
    live,
    logger,
    tokens,
    ingest,
    sources: { repository: sourceRepository, runner: sources },
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  worker.start();
  const retention = config.retentionDays > 0 ? startRetention(store, config.retentionDays, logger) : null;
  await sources.start();

  if (tokens.generated) logger.info(`Generated API tokens are in ${path.join(config.dataDir, 'tokens.json')} (mode 0600)`);

  let closed = false;
  return {
    url,
    app,
    store,
    worker,
    sources,
    tokens,
    demo,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      // Sources first: what they still hold goes through ingest while the store is open.
      await sources.close();
      if (retention) clearInterval(retention);
      await worker.stop();
      await store.close();
      await demo?.close();
    },
  };
}
