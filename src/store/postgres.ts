import pg from 'pg';
import { postgresDialect, type Database, type Program, type Step } from './database.ts';

/** `?` placeholders to `$1…$n` (the repository never writes `?` inside a string literal). */
const numbered = new Map<string, string>();
function toPositional(text: string): string {
  let converted = numbered.get(text);
  if (converted === undefined) {
    let index = 0;
    converted = text.replace(/\?/g, () => `$${++index}`);
    numbered.set(text, converted);
  }
  return converted;
}

interface Queryable {
  query(text: string, params?: unknown[]): Promise<pg.QueryResult>;
}

async function execute(client: Queryable, step: Step): Promise<unknown> {
  const result = await client.query(toPositional(step.text), step.params);
  return step.kind === 'all' ? result.rows : (result.rowCount ?? 0);
}

async function drive<T>(client: Queryable, program: Program<T>): Promise<T> {
  let next = program.next();
  while (!next.done) {
    let value: unknown;
    try {
      value = await execute(client, next.value);
    } catch (error) {
      program.return(undefined as T);
      throw error;
    }
    next = program.next(value);
  }
  return next.value;
}

/** Serialises `migrate()` across processes sharing the database; keyed by schema so test schemas don't wait on each other. */
const MIGRATION_LOCK = "hashtext('ctibridge.migrate.' || current_schema())";

export function openPostgres(connectionString: string): Database {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client that loses its connection is dropped by the pool; the next query reports the problem.
  pool.on('error', () => undefined);

  async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  async function inTransaction<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    try {
      const value = await fn();
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  return {
    dialect: postgresDialect,
    transaction: (program) => withClient((client) => inTransaction(client, () => drive(client, program()))),
    read: (program) => drive(pool, program()),
    migrate: (files) =>
      withClient(async (client) => {
        await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
        try {
          await client.query(
            'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
          );
          const applied = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((row) => row.version as string));
          for (const file of files) {
            if (applied.has(file.version)) continue;
            await inTransaction(client, async () => {
              await client.query(file.sql);
              await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file.version]);
            });
          }
        } finally {
          await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
        }
      }),
    close: () => pool.end(),
  };
}
