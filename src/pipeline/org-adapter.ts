import type { Logger } from 'pino';
import type { AccountConfig } from '../domain/account.ts';
import { connectAccount } from '../salesforce/connection.ts';
import { CallCounter } from './call-counter.ts';
import type { OrgApi } from './org-api.ts';

/** The worker's view of an org, served by the connector (jsforce over the OAuth endpoints). */
export function connectOrgApi(config: AccountConfig, logger: Logger, onTokenRefreshed?: (refreshToken: string) => void): OrgApi {
  // Retries of writes belong to the worker, which knows whether a retry is safe; reads may retry in transport.
  const connection = connectAccount(config, { logger: logger.child({ account: config.name }), onTokenRefreshed, idempotentRetries: 1 });
  const calls = new CallCounter();
  const counted = <T>(request: Promise<T>): Promise<T> => {
    calls.add();
    return request;
  };
  return {
    search: (sosl) => counted(connection.search(sosl)),
    // A query of more than one page costs a call per page; ctibridge's queries fit in one.
    query: (soql) => counted(connection.query(soql)),
    createRecords: (records) => counted(connection.collectionsCreate(records, false)),
    updateRecords: (records) => counted(connection.collectionsUpdate(records, false)),
    upsertRecords: (object, field, records) => counted(connection.collectionsUpsert(object, field, records, false)),
    describeFields: async (object) => (await connection.describe(object)).fields,
    userId: () => connection.userId(),
    apiUsage: () => {
      const usage = connection.apiUsage();
      return usage ? { used: usage.used, max: usage.max } : null;
    },
    callsLast24h: () => calls.last24h(),
    instanceUrl: async () => (await connection.session()).instanceUrl,
  };
}
