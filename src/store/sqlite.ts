import BetterSqlite3 from 'better-sqlite3';
import { sqliteDialect, type Database, type Program, type Step } from './database.ts';

type Sqlite = BetterSqlite3.Database;

/**
 * SQLite file in WAL mode with synchronous=FULL: with NORMAL, WAL mode skips the fsync of the WAL on commit,
 * so a power cut could lose events already answered 202. Measured on this 2-core VM (ext4), appendAndPlan
 * with 2 jobs per event, FULL: 1 event per call ~2,000/s, 10 per call ~9,500/s, 100 per call ~22,000/s,
 * 32 concurrent single-event calls (group commit below) ~9,000/s; NORMAL was no faster within noise.
 * busy_timeout lets a second process (e.g. the CLI beside the service) wait for the write lock.
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

  // Group commit: transactions requested in the same event-loop turn share one BEGIN IMMEDIATE … COMMIT (one
  // fsync), each in its own savepoint so one failing program rolls back alone. Every caller is answered only
  // after the shared COMMIT, so "resolved" still means "durable".
  let queued: Array<{ program: () => Program<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void }> = [];
  const inSavepoint = db.transaction((program: () => Program<unknown>) => drive(program()));

  function commitQueued(): void {
    if (queued.length === 0) return; // already committed by close()
    const group = queued;
    queued = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      db.transaction(() => {
        for (const item of group) {
          try {
            outcomes.push({ ok: true, value: inSavepoint(item.program) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    group.forEach((item, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  return {
    dialect: sqliteDialect,
    transaction<T>(program: () => Program<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queued.push({ program, resolve: resolve as (value: unknown) => void, reject });
        if (queued.length === 1) setImmediate(commitQueued);
      });
    },
    async read<T>(program: () => Program<T>): Promise<T> {
      return drive(program());
    },
    async migrate(files) {
      applyMigrations(db, files);
    },
    async close() {
      commitQueued();
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
