import type { DescribeField } from './check-fields.ts';

/**
 * What the worker needs from one Salesforce org. The connector (salesforce/connection.ts) provides it over
 * REST; the worker knows nothing of tokens, renewal or jsforce.
 */

export interface RecordResult {
  id: string | null;
  success: boolean;
  created?: boolean;
  errors: Array<{ statusCode: string; message: string; fields?: string[] }>;
}

export interface SObjectRecord {
  attributes: { type: string };
  [field: string]: unknown;
}

export interface OrgApi {
  search(sosl: string): Promise<Array<Record<string, unknown>>>;
  query<T extends Record<string, unknown>>(soql: string): Promise<T[]>;
  createRecords(records: SObjectRecord[]): Promise<RecordResult[]>;
  updateRecords(records: SObjectRecord[]): Promise<RecordResult[]>;
  upsertRecords(object: string, externalIdField: string, records: SObjectRecord[]): Promise<RecordResult[]>;
  describeFields(object: string): Promise<DescribeField[]>;
  /** The id of the user ctibridge runs as (reconciliation narrows to records it created). */
  userId(): Promise<string>;
  /** Latest `Sforce-Limit-Info` reading, if any response carried one. */
  apiUsage(): { used: number; max: number } | null;
  /** Where the org's records live (`instance_url` of the session): links into the org start here. */
  instanceUrl(): Promise<string>;
  /** Calls ctibridge itself made to this org in the last 24 hours. */
  callsLast24h(): number;
}
