import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountsRepository } from './accounts.ts';
import { all, run, type Database, type DialectName } from './database.ts';
import { eventsRepository } from './events.ts';
import { jobsRepository } from './jobs/index.ts';
import { openPostgres } from './postgres.ts';
import { decrypt, encrypt, KEY_CHECK, loadMasterKey, type MasterKey } from './secrets.ts';
import { retentionRepository } from './retention.ts';
import { settingsRepository } from './settings.ts';
import { openSqlite } from './sqlite.ts';
import { triggersRepository } from './triggers.ts';
import type { Store } from './types.ts';

export interface StoreOptions {
  /** `postgres://…` (or `postgresql://…`) selects PostgreSQL; anything else the SQLite file in `dataDir`. */
  databaseUrl?: string;
  /** Holds `ctibridge.db` (SQLite) and `master.key` when no master key is given. */
  dataDir?: string;
  /** CTIBRIDGE_MASTER_KEY: 32 bytes as hex or base64. */
  masterKey?: string;
}

export const SQLITE_FILE = 'ctibridge.db';

function migrationFiles(dialect: DialectName): Array<{ version: string; sql: string }> {
  const dir = fileURLToPath(new URL(`./migrations/${dialect}/`, import.meta.url));
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ version: name.replace(/\.sql$/, ''), sql: readFileSync(path.join(dir, name), 'utf8') }));
}

/** Seal a known value on first start; on every later start it must open, or the key is the wrong one. */
async function checkMasterKey(db: Database, master: MasterKey): Promise<void> {
  const [row] = await db.transaction(function* () {
    yield* run('INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [
      KEY_CHECK.name,
      encrypt(master, KEY_CHECK.plaintext, KEY_CHECK.context),
    ]);
    return yield* all<{ value: string }>('SELECT value FROM store_meta WHERE name = ?', [KEY_CHECK.name]);
  });
  decrypt(master, row.value, KEY_CHECK.context);
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const master = loadMasterKey(options);
  const usePostgres = /^postgres(ql)?:\/\//.test(options.databaseUrl ?? '');
  const dataDir = options.dataDir ?? '.';
  if (!usePostgres) mkdirSync(dataDir, { recursive: true });
  const db = usePostgres ? openPostgres(options.databaseUrl as string) : openSqlite(path.join(dataDir, SQLITE_FILE));
  return {
    kind: usePostgres ? 'postgres' : 'sqlite',
    async migrate() {
      await db.migrate(migrationFiles(db.dialect.name));
      await checkMasterKey(db, master);
    },
    close: () => db.close(),
    accounts: accountsRepository(db, master),
    triggers: triggersRepository(db, master),
    events: eventsRepository(db),
    jobs: jobsRepository(db),
    retention: retentionRepository(db),
    settings: settingsRepository(db),
  };
}
