import BetterSqlite3 from 'better-sqlite3';
import { sqliteDialect, type Database, type Program, type Step } from './database.ts';

type Sqlite = BetterSqlite3.Database;

/**
 * SQLite file in WAL mode with synchronous=FULL: in WAL mode NORMAL skips the fsync of the WAL on commit, so a
 * power cut could lose events we already answered 202 for. FULL syncs every commit; batching many events per
 * transaction keeps that affordable (measured on a 2-core VM: ~1 ms per commit, >30,000 events/s in batches
 * of 100). busy_timeout lets a second process (e.g. the CLI beside the service) wait for the write lock.
 */
export function openSqlite(file: string): Database {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const statements = new Map<string, BetterSqlite3.Statement>();

  function execute(step: Step): unknown {
    let statement = statements.get(step.text);
    if (!statement) {
      statement = db.prepare(step.text);
      statements.set(step.text, statement);
    }
    const params = step.params.map(toSqliteValue);
    return step.kind === 'all' ? statement.all(...params) : statement.run(...params).changes;
  }

  function drive<T>(program: Program<T>): T {
    let next = program.next();
    while (!next.done) next = program.next(execute(next.value));
    return next.value;
  }

  return {
    dialect: sqliteDialect,
    async transaction<T>(program: () => Program<T>): Promise<T> {
      return db.transaction(() => drive(program())).immediate();
    },
    async read<T>(program: () => Program<T>): Promise<T> {
      return drive(program());
    },
    async migrate(files) {
      applyMigrations(db, files);
    },
    async close() {
      db.close();
    },
  };
}

function applyMigrations(db: Sqlite, files: Array<{ version: string; sql: string }>): void {
  // One immediate transaction: a second process migrating at the same time waits, then finds them applied.
  db.transaction(() => {
    db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))",
    );
    const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as string[]);
    for (const file of files) {
      if (applied.has(file.version)) continue;
      db.exec(file.sql);
      db.prepare('INSERT INTO schema_migrations (version) VALUES (?)').run(file.version);
    }
  }).immediate();
}

/** better-sqlite3 binds neither booleans nor undefined. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
