/**
 * The one seam between the repository layer and the two database drivers.
 *
 * Repository code is written as generator "programs" that yield SQL steps. The SQLite driver runs them
 * synchronously inside a better-sqlite3 transaction, so a write transaction never spans an event-loop turn
 * (another Store on the same file in this process could otherwise block on the lock we hold); the PostgreSQL
 * driver runs the same program asynchronously on one pooled client. SQL is written with `?` placeholders and
 * the few dialect differences live in `Dialect`.
 */

export type DialectName = 'sqlite' | 'postgres';

export interface Step {
  /** `all` returns the rows (SELECT, or a write with RETURNING); `run` returns how many rows changed. */
  kind: 'all' | 'run';
  text: string;
  params: unknown[];
}

export type Program<T> = Generator<Step, T, unknown>;
export type Row = Record<string, unknown>;

export function* all<T = Row>(text: string, params: unknown[] = []): Program<T[]> {
  return (yield { kind: 'all', text, params }) as T[];
}

export function* run(text: string, params: unknown[] = []): Program<number> {
  return (yield { kind: 'run', text, params }) as number;
}

export type ColumnType = 'text' | 'int' | 'timestamp';

/** A SQL fragment plus the single parameter it needs. */
export interface Fragment {
  sql: string;
  param: unknown;
}

export interface Dialect {
  readonly name: DialectName;
  /** The database clock as a timestamp expression (ISO text on SQLite, timestamptz on PostgreSQL). */
  readonly now: string;
  /** `now` plus a number of milliseconds taken from one `?` parameter. */
  readonly nowPlusMs: string;
  /** Row-lock clause for a claiming subquery over alias `j` (empty on SQLite, whose writers are serialised). */
  readonly skipLocked: string;
  /** A subquery yielding one column `value` per element: usable after IN / NOT IN. Fixed SQL text, one param. */
  list(values: ReadonlyArray<string | number>, type: 'text' | 'int'): Fragment;
  /** A FROM item `alias(columns…)` holding the given rows (a batch in one parameter, one statement). */
  rows(alias: string, columns: Record<string, ColumnType>, rows: ReadonlyArray<Record<string, unknown>>): Fragment;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  now: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
  nowPlusMs: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', (? / 1000.0) || ' seconds')",
  skipLocked: '',
  list: (values) => ({ sql: '(SELECT value FROM json_each(?))', param: JSON.stringify(values) }),
  rows: (alias, columns, rows) => ({
    sql: `(SELECT ${Object.keys(columns)
      .map((name) => `json_extract(value, '$.${name}') AS ${name}`)
      .join(', ')} FROM json_each(?)) AS ${alias}`,
    param: JSON.stringify(rows),
  }),
};

const PG_TYPES: Record<ColumnType, string> = { text: 'text', int: 'bigint', timestamp: 'timestamptz' };

export const postgresDialect: Dialect = {
  name: 'postgres',
  now: 'now()',
  nowPlusMs: "now() + (?::float8 * interval '1 millisecond')",
  skipLocked: 'FOR UPDATE OF j SKIP LOCKED',
  list: (values, type) => ({ sql: `(SELECT unnest(?::${type === 'int' ? 'bigint' : 'text'}[]))`, param: [...values] }),
  rows: (alias, columns, rows) => ({
    sql: `json_to_recordset(?::json) AS ${alias}(${Object.entries(columns)
      .map(([name, type]) => `${name} ${PG_TYPES[type]}`)
      .join(', ')})`,
    param: JSON.stringify(rows),
  }),
};

export interface Database {
  readonly dialect: Dialect;
  /** Run a program in one transaction (SQLite: BEGIN IMMEDIATE), committed before the promise resolves. */
  transaction<T>(program: () => Program<T>): Promise<T>;
  /** Run a program without a transaction (reads, single statements). */
  read<T>(program: () => Program<T>): Promise<T>;
  /** Apply the plain SQL files of `migrations/<dialect>/` not yet recorded in `schema_migrations`. */
  migrate(files: Array<{ version: string; sql: string }>): Promise<void>;
  close(): Promise<void>;
}
