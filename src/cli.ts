import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { loadConfig, type ServiceConfig } from './config.ts';
import { CtiError } from './errors.ts';

/**
 * `ctibridge` command line. Commands that read or change configuration open the same store as the service
 * (SQLite file in the data directory, or DATABASE_URL), so they work whether or not the service runs.
 */

const program = new Command('ctibridge')
  .description('Contact center ⇄ Salesforce integration')
  .option('--data <dir>', 'data directory (CTIBRIDGE_DATA_DIR)')
  .showHelpAfterError();

function configFrom(flags: Partial<Record<keyof ServiceConfig, unknown>> = {}): ServiceConfig {
  const globals = program.opts<{ data?: string }>();
  return loadConfig(process.env, { dataDir: globals.data, ...flags });
}

async function withStore<T>(fn: (store: import('./store/types.ts').Store, config: ServiceConfig) => Promise<T>): Promise<T> {
  const config = configFrom();
  const { openStore } = await import('./store/db.ts');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, masterKey: config.masterKey });
  try {
    await store.migrate();
    return await fn(store, config);
  } finally {
    await store.close();
  }
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

program
  .command('serve')
  .description('run the service (ingest, worker, admin API and UI, CTI)')
  .option('--port <port>', 'HTTP port (PORT)')
  .option('--demo', 'with no Salesforce account configured, start the bundled emulated org as account "demo"')
  .option('--naive', 'one Salesforce request per job and no caches (for comparison benchmarks)')
  .action(async (options: { port?: string; demo?: boolean; naive?: boolean }) => {
    const config = configFrom({ port: options.port, demo: Boolean(options.demo), naive: Boolean(options.naive) });
    const { startService } = await import('./main.ts');
    const service = await startService(config);
    const lines = [`ctibridge listening on ${service.url}`, `  admin UI:   ${service.url}/`, `  ingest:     POST ${service.url}/ingest/events`];
    if (service.demo) {
      lines.push(
        '',
        `Demo mode: account "demo" is a local emulated Salesforce org at ${service.demo.emulatorUrl}`,
        `  post the sample event:  npx ctibridge events send docs/sample-event.json --url ${service.url} --token ${service.tokens.ingest}`,
        `  see the Task it made:   curl ${service.demo.emulatorUrl}/__emulator/records/Task`,
        `  admin API token:        ${service.tokens.admin}`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    const shutdown = async (signal: string) => {
      process.stdout.write(`${signal}: finishing in-flight deliveries…\n`);
      await service.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  });

program
  .command('emulator')
  .description('run the local Salesforce org emulator alone; prints its login URL and credentials')
  .option('--port <port>', 'port (0 picks a free one)', '0')
  .option('--seed <file>', 'seed JSON (users, apps, records, custom objects)')
  .option('--latency <ms>', 'added latency per request')
  .action(async (options: { port: string; seed?: string; latency?: string }) => {
    const { runEmulatorCommand } = await import('./emulator/index.ts');
    await runEmulatorCommand({ port: Number(options.port), seed: options.seed, latency: options.latency ? Number(options.latency) : undefined });
  });

program
  .command('doctor')
  .description('check every prerequisite of a Salesforce account and explain each failure')
  .option('--account <name>', 'one account (default: all)')
  .action(async (options: { account?: string }) => {
    const { runDoctor, formatDoctorReport } = await import('./salesforce/doctor.ts');
    const failed = await withStore(async (store) => {
      const accounts = options.account ? [await store.accounts.get(options.account)] : await store.accounts.list();
      if (accounts.length === 0 || accounts.some((a) => !a)) {
        throw new CtiError('ACCOUNT_NOT_FOUND', options.account ? `no account named "${options.account}" (see: ctibridge accounts list)` : 'no account registered (see: ctibridge accounts add --help)');
      }
      let anyFailed = false;
      for (const account of accounts) {
        const report = await runDoctor(account!.config);
        process.stdout.write(`Account "${account!.config.name}" (${account!.config.loginUrl})\n${formatDoctorReport(report)}\n`);
        anyFailed ||= !report.ok;
      }
      return anyFailed;
    });
    process.exitCode = failed ? 1 : 0;
  });

const accounts = program.command('accounts').description('Salesforce accounts (orgs) ctibridge delivers to');
accounts
  .command('add')
  .description('register or update an account; secrets may come from a JSON file or the environment instead of flags')
  .requiredOption('--name <name>', 'account name, e.g. acme')
  .option('--login-url <url>', 'https://login.salesforce.com, https://test.salesforce.com or https://NAME.my.salesforce.com', 'https://login.salesforce.com')
  .addOption(new Option('--flow <flow>', 'OAuth flow').choices(['password', 'webServer', 'clientCredentials', 'jwtBearer']).default('password'))
  .option('--client-id <id>', 'Consumer Key of the Connected App')
  .option('--client-secret <secret>', 'Consumer Secret (or SF_CLIENT_SECRET)')
  .option('--username <username>', 'Salesforce username')
  .option('--password <password>', 'password (or SF_PASSWORD)')
  .option('--security-token <token>', 'security token (or SF_SECURITY_TOKEN)')
  .option('--private-key <file>', 'PEM private key file (jwtBearer)')
  .option('--fallback-owner <user>', 'username or email of the user who owns records when the agent has no Salesforce user')
  .option('--external-id-field <field>', 'External ID field present on the objects ctibridge creates (exactly-once upserts)')
  .option('--api-version <version>', 'REST API version', '62.0')
  .option('--file <json>', 'read the account (DESIGN.md shape) from a JSON file')
  .action(async (o: Record<string, string | undefined>) => {
    const { accountSchema } = await import('./domain/account.ts');
    const { publicAccount } = await import('./http/routes/api.ts');
    const input = o.file
      ? { ...JSON.parse(readFileSync(o.file, 'utf8')), name: o.name }
      : {
          name: o.name,
          loginUrl: o.loginUrl,
          apiVersion: o.apiVersion,
          fallbackOwner: o.fallbackOwner ?? null,
          externalIdField: o.externalIdField ?? null,
          auth: {
            flow: o.flow,
            clientId: o.clientId,
            clientSecret: o.clientSecret ?? process.env.SF_CLIENT_SECRET,
            username: o.username,
            password: o.password ?? process.env.SF_PASSWORD,
            securityToken: o.securityToken ?? process.env.SF_SECURITY_TOKEN,
            privateKey: o.privateKey ? readFileSync(o.privateKey, 'utf8') : undefined,
          },
        };
    const parsed = accountSchema.safeParse(input);
    if (!parsed.success) {
      throw new CtiError('INVALID_ACCOUNT', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    }
    await withStore(async (store) => printJson(publicAccount((await store.accounts.upsert(parsed.data)).config)));
  });
accounts.command('list').action(async () => {
  const { publicAccount } = await import('./http/routes/api.ts');
  await withStore(async (store) => printJson((await store.accounts.list()).map((a) => publicAccount(a.config))));
});
accounts
  .command('test <name>')
  .description('same as: doctor --account NAME')
  .action(async (name: string) => {
    await program.parseAsync(['doctor', '--account', name], { from: 'user' });
  });
accounts.command('remove <name>').action(async (name: string) => {
  await withStore(async (store) => {
    if (!(await store.accounts.remove(name))) throw new CtiError('ACCOUNT_NOT_FOUND', `no account named "${name}"`);
    process.stdout.write(`removed account "${name}"\n`);
  });
});

const triggers = program.command('triggers').description('triggers: which events do what in Salesforce');
triggers
  .command('import <file>')
  .description('create or replace triggers (by name) from a JSON file holding one trigger or an array')
  .action(async (file: string) => {
    const { validateTrigger } = await import('./domain/trigger.ts');
    const { restoreTriggerSecrets } = await import('./domain/trigger-secrets.ts');
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    const list: unknown[] = Array.isArray(raw) ? raw : [raw];
    await withStore(async (store) => {
      const storedByName = new Map((await store.triggers.list()).map((t) => [t.name, t.definition]));
      const checked = list.map((t) => validateTrigger(restoreTriggerSecrets(t, storedByName.get(String((t as { name?: unknown })?.name)) ?? null)));
      const problems = checked.flatMap((c) => (c.ok ? [] : c.errors.map((e) => e.message)));
      if (problems.length) throw new CtiError('INVALID_TRIGGER', `nothing imported:\n  ${problems.join('\n  ')}`);
      for (const c of checked) {
        if (!c.ok) continue;
        const { name, enabled, ...definition } = c.trigger;
        const existing = await store.triggers.get(name);
        await store.triggers.save({ id: existing?.id, name, enabled, definition });
        process.stdout.write(`${existing ? 'updated' : 'created'} trigger "${name}"\n`);
      }
    });
  });
triggers.command('export').description('print all triggers as JSON').action(async () => {
  const { maskTriggerSecrets } = await import('./domain/trigger-secrets.ts');
  await withStore(async (store) => printJson((await store.triggers.list()).map((t) => ({ name: t.name, enabled: t.enabled, ...maskTriggerSecrets(t.definition) }))));
});
triggers.command('list').action(async () => {
  await withStore(async (store) => {
    for (const t of await store.triggers.list()) process.stdout.write(`${t.enabled ? '●' : '○'} ${t.name}  (${t.id})\n`);
  });
});
triggers
  .command('test <trigger>')
  .description('show the records a sample event would create, without writing to Salesforce')
  .requiredOption('--event <file>', 'interaction event JSON')
  .action(async (name: string, o: { event: string }) => {
    const { validateTrigger } = await import('./domain/trigger.ts');
    const { interactionEventSchema } = await import('./domain/interaction.ts');
    const { dryRunTrigger } = await import('./pipeline/dry-run.ts');
    const { OrgRegistry } = await import('./pipeline/orgs.ts');
    const { connectOrgApi } = await import('./pipeline/org-adapter.ts');
    const pino = (await import('pino')).default;
    const event = interactionEventSchema.parse(JSON.parse(readFileSync(o.event, 'utf8')));
    await withStore(async (store, config) => {
      const stored = await store.triggers.get(name);
      if (!stored) throw new CtiError('TRIGGER_NOT_FOUND', `no trigger "${name}" (see: ctibridge triggers list)`);
      const checked = validateTrigger({ ...stored.definition, name: stored.name, enabled: stored.enabled });
      if (!checked.ok) throw new CtiError('INVALID_TRIGGER', checked.errors.map((e) => e.message).join('\n'));
      const logger = pino({ level: 'silent' });
      const orgs = new OrgRegistry(store, { connect: (a) => connectOrgApi(a, logger), cacheTtlMs: 0 });
      printJson(await dryRunTrigger({ trigger: checked.trigger, triggerId: stored.id, event, orgs, defaultRegion: config.defaultRegion }));
    });
  });

const events = program.command('events').description('interaction events');
events
  .command('send <file>')
  .description('POST events from a JSON (one or an array) or NDJSON file to a running ctibridge, with progress')
  .option('--url <url>', 'ctibridge base URL', 'http://localhost:8080')
  .option('--token <token>', 'ingest token (CTIBRIDGE_INGEST_TOKEN, or tokens.json in the data directory)')
  .option('--batch <n>', 'events per request (max 500)', '200')
  .action(async (file: string, o: { url: string; token?: string; batch: string }) => {
    const { sendEventsFile } = await import('./sources/send-file.ts');
    const config = configFrom();
    const summary = await sendEventsFile({ file, url: o.url, token: o.token ?? config.ingestToken ?? readSavedToken(config.dataDir, 'ingest'), batchSize: Number(o.batch), progress: process.stderr });
    printJson(summary);
    if (summary.rejected > 0 || summary.failedRequests > 0) process.exitCode = 1;
  });

function readSavedToken(dataDir: string, kind: 'admin' | 'ingest'): string {
  try {
    const token = JSON.parse(readFileSync(`${dataDir}/tokens.json`, 'utf8'))[kind];
    if (token) return token;
  } catch {
    // fall through to the error below
  }
  throw new CtiError('TOKEN_MISSING', `no ${kind} token: pass --token, set CTIBRIDGE_${kind.toUpperCase()}_TOKEN, or run from the service's data directory`);
}

const jobs = program.command('jobs').description('deliveries to Salesforce');
jobs
  .command('list')
  .addOption(new Option('--state <state>').choices(['pending', 'leased', 'done', 'dead']))
  .option('--account <name>')
  .option('--interaction <id>')
  .option('--limit <n>', 'at most', '50')
  .action(async (o: { state?: 'pending' | 'leased' | 'done' | 'dead'; account?: string; interaction?: string; limit: string }) => {
    await withStore(async (store) => {
      const list = await store.jobs.list({ state: o.state, account: o.account, interactionId: o.interaction, limit: Number(o.limit) });
      for (const j of list) {
        const detail = j.state === 'done' ? JSON.stringify(j.result) : j.errorCode ? `${j.errorCode}: ${j.errorMessage}` : `attempts ${j.attempts}, next ${j.runAt}`;
        process.stdout.write(`${String(j.id).padStart(6)}  ${j.state.padEnd(7)}  ${j.kind.padEnd(26)}  ${j.key}\n        ${detail}\n`);
      }
      if (list.length === 0) process.stdout.write('no jobs\n');
    });
  });
jobs.command('retry <id>').description('run a dead job again now').action(async (id: string) => {
  await withStore(async (store) => {
    if (!(await store.jobs.retry(Number(id)))) throw new CtiError('JOB_NOT_FOUND', `no dead or pending job ${id}`);
    process.stdout.write(`job ${id} will run again\n`);
  });
});
jobs
  .command('replay')
  .description('re-plan past events (after fixing a trigger): missing jobs are created, dead ones retried')
  .requiredOption('--since <time>', 'ISO-8601 time, e.g. 2026-11-28T00:00:00Z')
  .option('--until <time>')
  .option('--trigger <name>', 'only this trigger')
  .action(async (o: { since: string; until?: string; trigger?: string }) => {
    if (Number.isNaN(Date.parse(o.since))) throw new CtiError('INVALID_TIME', `--since: "${o.since}" is not an ISO-8601 time, e.g. 2026-11-28T00:00:00Z`);
    const { replayEvents } = await import('./pipeline/replay.ts');
    const { TriggerCatalog } = await import('./pipeline/trigger-catalog.ts');
    await withStore(async (store) => printJson(await replayEvents(store, new TriggerCatalog(store), { since: new Date(o.since).toISOString(), until: o.until, trigger: o.trigger })));
  });

const cti = program.command('cti').description('Salesforce Call Center (Open CTI softphone)');
cti
  .command('callcenter-xml')
  .description('print the call-center definition file to import in Setup → Call Centers')
  .requiredOption('--url <base>', "ctibridge's public https URL, e.g. https://ctibridge.example.com")
  .option('--internal-name <name>', 'reqInternalName (letters and digits, starts with a letter)')
  .option('--display-name <name>', 'reqDisplayName shown in Setup')
  .action(async (o: { url: string; internalName?: string; displayName?: string }) => {
    const { callCenterXml } = await import('./cti/callcenter.ts');
    process.stdout.write(callCenterXml({ baseUrl: o.url, internalName: o.internalName, displayName: o.displayName }));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof CtiError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`ctibridge: ${message}\n`);
  process.exitCode = 2;
}
