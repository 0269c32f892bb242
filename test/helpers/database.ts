import { createTestBackend, selectedBackends, type BackendKind } from '../store/backends.ts';

/**
 * A fresh database for a whole service (in-process or child processes): nothing for SQLite (the service keeps
 * its file in its data dir), a new randomly named schema in the PostgreSQL test database otherwise, reached by
 * `DATABASE_URL` with `options=-c search_path=<schema>` and dropped at cleanup.
 */
export interface ServiceDatabase {
  kind: BackendKind;
  /** For startTestService / loadConfig flags; undefined means SQLite in the data dir. */
  databaseUrl: string | undefined;
  /** The service's data dir (SQLite file, master.key, tokens); removed at cleanup. */
  dataDir: string;
  /** DATABASE_URL and CTIBRIDGE_DATA_DIR for a child process's environment. */
  env: Record<string, string>;
  /** Raw SQL on the database, around the service. Placeholders: SQLite ?, PostgreSQL $1. */
  query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  cleanup(): Promise<void>;
}

export async function createServiceDatabase(kind: BackendKind): Promise<ServiceDatabase> {
  const backend = await createTestBackend(kind);
  const databaseUrl = backend.options.databaseUrl;
  const dataDir = backend.options.dataDir as string;
  return {
    kind,
    databaseUrl,
    dataDir,
    env: { CTIBRIDGE_DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
    query: (sql, params) => backend.query(sql, params),
    cleanup: () => backend.cleanup(),
  };
}

/** The backends a pipeline test runs on; CTIBRIDGE_TEST_BACKENDS=sqlite (or postgres) narrows it, as for the store tests. */
export { selectedBackends, type BackendKind };
