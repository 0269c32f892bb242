import { Connection } from 'jsforce';
import type { AccountConfig } from '../domain/account.ts';
import { CtiError } from '../errors.ts';
import { authenticateAccount } from './auth/account.ts';
import { idsOfIdentityUrl, type OAuthCallOptions, type TokenSet } from './auth/token-endpoint.ts';
import { classifySalesforceError, SalesforceError, toSalesforceError } from './errors.ts';
import { ApiUsageTracker, type ApiUsageSnapshot } from './limits.ts';

/**
 * One Salesforce account's REST connection. jsforce carries the HTTP (always with OAuth settings: it never
 * logs in over SOAP); this class owns the session: the first call logs in through the account's flow, an
 * expired session is renewed once, and concurrent calls share that one renewal. Only idempotent verbs are
 * retried by the transport; creates and updates are retried by ctibridge's jobs, which know when it is safe.
 */

export interface ConnectionLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface ConnectOptions {
  /** A new refresh token arrived (the Connected App rotates them): persist it or the next start cannot log in. */
  onTokenRefreshed?(refreshToken: string): void;
  logger?: ConnectionLogger;
  /** Used for the token endpoint (observing logins, routing). */
  fetch?: typeof fetch;
  /** Sessions shared by connections of the same account; `null` for none (the doctor logs in afresh). */
  tokenCache?: TokenCache | null;
  /** A session already obtained for this account. */
  tokens?: TokenSet;
  /** Per-request timeout (the default is generous: Salesforce may take long on big composite requests). */
  timeoutMs?: number;
  /** Transport retries of GET/HEAD on 429/5xx and dropped connections; 0 leaves every retry to the worker. */
  idempotentRetries?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD';

export interface RecordError {
  statusCode: string;
  message: string;
  fields?: string[];
}

/** One record's outcome in an sObject Collections call, in request order. */
export interface RecordResult {
  id: string | null;
  success: boolean;
  created?: boolean;
  errors: RecordError[];
}

export interface SObjectInput {
  attributes: { type: string };
  [field: string]: unknown;
}

export interface CompositeSubrequest {
  method: HttpMethod;
  /** `/services/data/vXX.X/...`; may hold `@{referenceId.field}` references to earlier subrequests. */
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

export interface CompositeSubresponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

export interface DescribeField {
  name: string;
  type: string;
  label?: string;
  length?: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  defaultedOnCreate?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  restrictedPicklist?: boolean;
  picklistValues?: Array<{ value: string; active: boolean }>;
  referenceTo?: string[];
  [key: string]: unknown;
}

export interface DescribeSObject {
  name: string;
  createable: boolean;
  updateable: boolean;
  queryable: boolean;
  fields: DescribeField[];
  [key: string]: unknown;
}

export interface Identity {
  user_id: string;
  organization_id: string;
  username: string;
  email?: string;
  display_name?: string;
  active?: boolean;
  [key: string]: unknown;
}

export const MAX_COLLECTION_RECORDS = 200;
export const MAX_COMPOSITE_SUBREQUESTS = 25;
const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_IDEMPOTENT_RETRIES = 2;
/** jsforce's words when the refresh hook fails; the original error is kept aside and rethrown instead. */
const JSFORCE_REFRESH_FAILED = 'Unable to refresh session due to:';

/** Sessions by account, so a rebuilt connection does not log in again. */
export class TokenCache {
  private readonly sessions = new Map<string, TokenSet>();
  get(key: string): TokenSet | undefined {
    return this.sessions.get(key);
  }
  set(key: string, tokens: TokenSet): void {
    this.sessions.set(key, tokens);
  }
  delete(key: string): void {
    this.sessions.delete(key);
  }
}

export const sharedTokenCache = new TokenCache();

function sessionKey(config: AccountConfig): string {
  const user = 'username' in config.auth ? config.auth.username : '';
  return [config.name, config.loginUrl, config.auth.flow, config.auth.clientId, user].join('|');
}

function soqlPath(kind: 'query' | 'search', text: string): string {
  return `/${kind}?q=${encodeURIComponent(text)}`;
}

function checkRecords(records: SObjectInput[], what: string, needType: boolean): void {
  if (records.length === 0) throw new CtiError('INVALID_INPUT', `${what}: no records given`);
  if (records.length > MAX_COLLECTION_RECORDS) {
    throw new CtiError('INVALID_INPUT', `${what}: ${records.length} records; sObject Collections take at most ${MAX_COLLECTION_RECORDS} per call`);
  }
  if (needType) {
    const index = records.findIndex((r) => typeof r?.attributes?.type !== 'string' || r.attributes.type === '');
    if (index >= 0) throw new CtiError('INVALID_INPUT', `${what}: records[${index}].attributes.type is required (the sObject name, e.g. "Task")`);
  }
}

function checkName(field: string, value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(value)) throw new CtiError('INVALID_INPUT', `${field}: "${value}" is not an API name (letters, digits, _)`);
  return value;
}

export class SalesforceConnection {
  readonly usage = new ApiUsageTracker();
  private readonly conn: Connection;
  private readonly key: string;
  private readonly cache: TokenCache | null;
  private tokens: TokenSet | null;
  private refreshToken: string | undefined;
  private renewal: Promise<TokenSet> | null = null;
  /** Set by a renewal, cleared by any answer that is not a session failure: a fresh session refused again ends the call. */
  private renewedSinceProof = false;
  private lastRenewalFailure: unknown = null;
  private lastLimitInfo: unknown = null;
  private readonly describes = new Map<string, Promise<DescribeSObject>>();

  constructor(
    readonly config: AccountConfig,
    private readonly options: ConnectOptions = {},
  ) {
    this.key = sessionKey(config);
    this.cache = options.tokenCache === undefined ? sharedTokenCache : options.tokenCache;
    this.tokens = options.tokens ?? this.cache?.get(this.key) ?? null;
    this.refreshToken = this.tokens?.refreshToken ?? (config.auth.flow === 'webServer' ? config.auth.refreshToken : undefined);
    const clientSecret = 'clientSecret' in config.auth ? config.auth.clientSecret : undefined;
    this.conn = new Connection({
      loginUrl: config.loginUrl,
      version: config.apiVersion,
      oauth2: { loginUrl: config.loginUrl, clientId: config.auth.clientId, ...(clientSecret ? { clientSecret } : {}) },
      refreshFn: (_conn, callback) => this.renewForTransport(callback),
      ...(this.tokens ? { accessToken: this.tokens.accessToken, instanceUrl: this.tokens.instanceUrl } : {}),
    });
  }

  /** The current session, logging in first if there is none. */
  async session(): Promise<TokenSet> {
    return this.tokens ?? this.renew(null);
  }

  /** The Salesforce user id ctibridge runs as. */
  async userId(): Promise<string> {
    return idsOfIdentityUrl((await this.session()).idUrl).userId;
  }

  apiUsage(): ApiUsageSnapshot | null {
    return this.usage.snapshot();
  }

  /**
   * Log in again unless someone already replaced `staleToken`; every caller during a renewal gets the same
   * promise, so a burst of expired calls costs one token request.
   */
  private renew(staleToken: string | null): Promise<TokenSet> {
    if (this.renewal) return this.renewal;
    if (this.tokens && staleToken !== null && this.tokens.accessToken !== staleToken) return Promise.resolve(this.tokens);
    const options: OAuthCallOptions & { refreshToken?: string } = {
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      ...(this.refreshToken ? { refreshToken: this.refreshToken } : {}),
    };
    this.renewal = authenticateAccount(this.config, options)
      .then((tokens) => {
        const rotated = tokens.refreshToken && tokens.refreshToken !== this.refreshToken ? tokens.refreshToken : undefined;
        if (tokens.refreshToken) this.refreshToken = tokens.refreshToken;
        this.tokens = { ...tokens, ...(this.refreshToken ? { refreshToken: this.refreshToken } : {}) };
        this.conn.accessToken = tokens.accessToken;
        this.conn.instanceUrl = tokens.instanceUrl;
        this.cache?.set(this.key, this.tokens);
        this.options.logger?.info({ account: this.config.name, flow: this.config.auth.flow }, 'salesforce session opened');
        if (rotated) this.options.onTokenRefreshed?.(rotated);
        return this.tokens;
      })
      .catch((error: unknown) => {
        this.cache?.delete(this.key);
        this.options.logger?.warn({ account: this.config.name, flow: this.config.auth.flow, error: (error as Error).message }, 'salesforce login failed');
        throw error;
      })
      .finally(() => {
        this.renewal = null;
      });
    return this.renewal;
  }

  /** jsforce's refresh hook: runs when a response is 401; jsforce makes concurrent 401s wait for this one. */
  private renewForTransport(callback: (error: Error | null | undefined, accessToken?: string) => void): void {
    if (this.renewedSinceProof) {
      const refused = new SalesforceError(
        'INVALID_SESSION_ID',
        'Salesforce refused a session it had just issued: check the Connected App\'s IP Relaxation and session policies, and that the user may use the API',
        401,
      );
      this.lastRenewalFailure = refused;
      // The next call may try once more (the admin may have fixed the policy meanwhile): each call costs at most
      // one renewal, never a loop.
      this.renewedSinceProof = false;
      callback(refused);
      return;
    }
    const stale = this.conn.accessToken ?? null;
    this.renew(stale).then(
      (tokens) => {
        this.renewedSinceProof = true;
        callback(null, tokens.accessToken);
      },
      (error: unknown) => {
        this.lastRenewalFailure = error;
        callback(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  private httpOptions(): object {
    return {
      timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retry: {
        // Explicit: POST and PATCH are never repeated by the transport.
        methods: ['GET', 'HEAD'],
        maxRetries: this.options.idempotentRetries ?? DEFAULT_IDEMPOTENT_RETRIES,
        minTimeout: 500,
        statusCodes: [429, 500, 502, 503, 504],
      },
    };
  }

  private feedUsage(): void {
    const info = this.conn.limitInfo as { apiUsage?: { used: number; limit: number } } | undefined;
    if (info && info !== this.lastLimitInfo && info.apiUsage) {
      this.lastLimitInfo = info;
      this.usage.record({ used: info.apiUsage.used, max: info.apiUsage.limit });
    }
  }

  private original(error: unknown): unknown {
    if (error instanceof Error && error.message.startsWith(JSFORCE_REFRESH_FAILED) && this.lastRenewalFailure) {
      const original = this.lastRenewalFailure;
      this.lastRenewalFailure = null;
      return original;
    }
    return error;
  }

  /**
   * A raw REST call. `path` is absolute (`https://…`), from the host root (`/services/…`) or from the version
   * root (`/sobjects/…`). Errors come out as SalesforceError / AuthError with Salesforce's code.
   */
  async request<T>(method: HttpMethod, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.send<T>(method, path, body, headers, false);
  }

  private async send<T>(method: HttpMethod, path: string, body: unknown, extraHeaders: Record<string, string>, renewed: boolean): Promise<T> {
    const session = await this.session();
    const url = path.startsWith('/') && !path.startsWith('/services/') ? `/services/data/v${this.config.apiVersion}${path}` : path;
    const headers = { ...extraHeaders, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
    const request = { method, url, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    try {
      const result = (await this.conn.request<T>(request, this.httpOptions())) as T;
      this.renewedSinceProof = false;
      return result;
    } catch (thrown) {
      const error = this.original(thrown);
      const classified = classifySalesforceError(error);
      if (classified.kind !== 'session') this.renewedSinceProof = false;
      // 401s were renewed by the transport hook already; a session refused another way (the identity service's
      // 403 Bad_OAuth_Token) gets its one renewal here.
      const transportRenews = classified.errorCode === 'INVALID_SESSION_ID' || classified.errorCode.startsWith('AUTH_');
      if (classified.kind === 'session' && !renewed && !transportRenews) {
        await this.renew(session.accessToken);
        return this.send<T>(method, path, body, extraHeaders, true);
      }
      throw toSalesforceError(error);
    } finally {
      this.feedUsage();
    }
  }

  /** SOQL, following `nextRecordsUrl` until done. `batchSize` (200..2000) sets the page size Salesforce uses. */
  async query<T = Record<string, unknown>>(soql: string, options: { batchSize?: number } = {}): Promise<T[]> {
    const headers: Record<string, string> = options.batchSize ? { 'Sforce-Query-Options': `batchSize=${options.batchSize}` } : {};
    const records: T[] = [];
    let page = await this.request<{ records: T[]; done: boolean; nextRecordsUrl?: string }>('GET', soqlPath('query', soql), undefined, headers);
    records.push(...page.records);
    while (!page.done && page.nextRecordsUrl) {
      page = await this.request('GET', page.nextRecordsUrl, undefined, headers);
      records.push(...page.records);
    }
    return records;
  }

  /** SOSL; the matching records of every RETURNING object, each with `attributes.type`. */
  async search<T = Record<string, unknown>>(sosl: string): Promise<T[]> {
    const result = await this.request<{ searchRecords?: T[] } | T[]>('GET', soqlPath('search', sosl));
    return Array.isArray(result) ? result : (result.searchRecords ?? []);
  }

  async create(object: string, record: Record<string, unknown>): Promise<{ id: string }> {
    const result = await this.request<{ id: string }>('POST', `/sobjects/${checkName('object', object)}`, record);
    return { id: result.id };
  }

  async update(object: string, id: string, fields: Record<string, unknown>): Promise<void> {
    await this.request('PATCH', `/sobjects/${checkName('object', object)}/${encodeURIComponent(id)}`, fields);
  }

  /** Upsert by External ID: created or updated, and which. Several matches are a MULTIPLE_CHOICES error. */
  async upsert(object: string, externalIdField: string, value: string, fields: Record<string, unknown>): Promise<{ id: string | null; created: boolean }> {
    const path = `/sobjects/${checkName('object', object)}/${checkName('externalIdField', externalIdField)}/${encodeURIComponent(value)}`;
    const result = await this.request<{ id?: string; created?: boolean } | undefined>('PATCH', path, fields);
    // Before API 46.0 an update by upsert answered 204 with no body.
    return { id: result?.id ?? null, created: result?.created === true };
  }

  async collectionsCreate(records: SObjectInput[], allOrNone = false): Promise<RecordResult[]> {
    checkRecords(records, 'collectionsCreate', true);
    return this.request<RecordResult[]>('POST', '/composite/sobjects', { allOrNone, records });
  }

  /** Each record needs `attributes.type` and `Id`. */
  async collectionsUpdate(records: SObjectInput[], allOrNone = false): Promise<RecordResult[]> {
    checkRecords(records, 'collectionsUpdate', true);
    const index = records.findIndex((r) => typeof r.Id !== 'string' || r.Id === '');
    if (index >= 0) throw new CtiError('INVALID_INPUT', `collectionsUpdate: records[${index}].Id is required`);
    return this.request<RecordResult[]>('PATCH', '/composite/sobjects', { allOrNone, records });
  }

  /** Upsert many records of one object by an External ID field; results say `created` per record. */
  async collectionsUpsert(object: string, externalIdField: string, records: SObjectInput[], allOrNone = false): Promise<RecordResult[]> {
    checkRecords(records, 'collectionsUpsert', false);
    const path = `/composite/sobjects/${checkName('object', object)}/${checkName('externalIdField', externalIdField)}`;
    const typed = records.map((r) => ({ ...r, attributes: { ...r.attributes, type: object } }));
    return this.request<RecordResult[]>('PATCH', path, { allOrNone, records: typed });
  }

  /** Composite: up to 25 subrequests in one call; always HTTP 200, each subresponse with its own status. */
  async composite(subrequests: CompositeSubrequest[], allOrNone = false): Promise<CompositeSubresponse[]> {
    if (subrequests.length === 0 || subrequests.length > MAX_COMPOSITE_SUBREQUESTS) {
      throw new CtiError('INVALID_INPUT', `composite: ${subrequests.length} subrequests; give 1 to ${MAX_COMPOSITE_SUBREQUESTS}`);
    }
    const result = await this.request<{ compositeResponse: CompositeSubresponse[] }>('POST', '/composite', {
      allOrNone,
      compositeRequest: subrequests,
    });
    return result.compositeResponse;
  }

  /** An object's describe, asked once per connection (fields change rarely; rebuild the connection to see new ones). */
  describe(object: string): Promise<DescribeSObject> {
    const name = checkName('object', object);
    let pending = this.describes.get(name);
    if (!pending) {
      pending = this.request<DescribeSObject>('GET', `/sobjects/${name}/describe`);
      pending.catch(() => this.describes.delete(name));
      this.describes.set(name, pending);
    }
    return pending;
  }

  /** Every object the user can see, with its createable/queryable flags. */
  describeGlobal(): Promise<{ sobjects: Array<{ name: string; createable: boolean; queryable: boolean; updateable: boolean }> }> {
    return this.request('GET', '/sobjects');
  }

  async limits(): Promise<Record<string, { Max: number; Remaining: number }>> {
    const limits = await this.request<Record<string, { Max: number; Remaining: number }>>('GET', '/limits');
    this.usage.recordLimits(limits);
    return limits;
  }

  async identity(): Promise<Identity> {
    const session = await this.session();
    return this.request<Identity>('GET', session.idUrl);
  }

  /** API versions the org offers (the one call without a usage header). */
  versions(): Promise<Array<{ version: string; label: string; url: string }>> {
    return this.request('GET', '/services/data');
  }
}

/** The connection for one account (nothing is sent until the first call). */
export function connectAccount(config: AccountConfig, opts: ConnectOptions = {}): SalesforceConnection {
  return new SalesforceConnection(config, opts);
}
