import type { AccountConfig } from '../domain/account.ts';
import { authenticateAccount } from './auth/account.ts';
import { AuthError, AuthInputError } from './auth/errors.ts';
import { checkLoginUrl, idsOfIdentityUrl, postForm, type TokenSet } from './auth/token-endpoint.ts';
import { SalesforceConnection, type DescribeSObject } from './connection.ts';
import { classifySalesforceError } from './errors.ts';
import { soqlString } from './soql.ts';

/**
 * Checks every prerequisite of a Salesforce account in the order an admin sets them up, and says for each
 * failure which setup step to redo. A failure stops the checks that depend on it (they are marked skip).
 * Nothing printed here ever holds a secret: details are built from Salesforce's error codes and our words.
 */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface DoctorCheck {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export interface DoctorResult {
  ok: boolean;
  checks: DoctorCheck[];
}

export interface DoctorOptions {
  fetch?: typeof fetch;
  /** The refresh (web-server flow) may rotate the stored refresh token: persist the new one. */
  onTokenRefreshed?(refreshToken: string): void;
  timeoutMs?: number;
}

export const TASK_FIELDS = [
  'Subject', 'Status', 'Priority', 'ActivityDate', 'Description', 'TaskSubtype', 'CallType', 'CallDurationInSeconds',
  'CallObject', 'CallDisposition', 'WhoId', 'WhatId', 'OwnerId',
];
export const CASE_FIELDS = ['Subject', 'Description', 'Origin', 'Status', 'Priority', 'ContactId', 'AccountId', 'SuppliedPhone', 'SuppliedEmail', 'OwnerId'];
const NEARLY_SPENT = 0.8;

function credentialsTitle(config: AccountConfig): string {
  switch (config.auth.flow) {
    case 'password':
      return 'Username, password and security token are accepted';
    case 'clientCredentials':
      return 'Client Credentials Flow has an active run-as user';
    case 'jwtBearer':
      return 'JWT certificate matches and the user is pre-authorized';
    case 'webServer':
      return 'Stored Salesforce authorization (refresh token) is valid';
  }
}

function plan(config: AccountConfig): Array<{ id: string; title: string }> {
  return [
    { id: 'login-url', title: 'Login URL is a Salesforce login endpoint' },
    { id: 'client-id', title: 'Connected App consumer key (client id) is known' },
    { id: 'client-secret', title: 'Connected App consumer secret is right' },
    { id: 'credentials', title: credentialsTitle(config) },
    { id: 'user-status', title: 'User is active and not locked' },
    { id: 'api-version', title: `API version ${config.apiVersion} is offered by the org` },
    { id: 'api-access', title: 'API is enabled for the org and the user' },
    { id: 'scopes', title: 'OAuth scopes granted' },
    { id: 'permissions', title: 'User may read and create what ctibridge needs' },
    { id: 'task-fields', title: 'Task call fields are accessible' },
    { id: 'case-fields', title: 'Case fields are accessible' },
    { id: 'fallback-owner', title: 'Fallback owner is an active user' },
    { id: 'api-quota', title: 'Daily API quota has room' },
  ];
}

type Outcome = Omit<DoctorCheck, 'id' | 'title'>;

class Report {
  private readonly outcomes = new Map<string, Outcome>();
  private stopReason: string | null = null;

  constructor(private readonly steps: Array<{ id: string; title: string }>) {}

  set(id: string, status: CheckStatus, detail: string, fix?: string): void {
    this.outcomes.set(id, { status, detail, ...(fix ? { fix } : {}) });
  }

  /** The checks not yet decided cannot be judged: mark them skipped with the reason. */
  stop(reason: string): DoctorResult {
    this.stopReason = reason;
    return this.result();
  }

  result(): DoctorResult {
    const checks = this.steps.map(({ id, title }) => ({
      id,
      title,
      ...(this.outcomes.get(id) ?? { status: 'skip' as const, detail: `not checked: ${this.stopReason ?? 'not applicable'}` }),
    }));
    return { ok: checks.every((c) => c.status !== 'fail'), checks };
  }
}

/** Does the login URL answer the token endpoint the way Salesforce does (an OAuth error for an empty grant)? */
async function probeLoginUrl(config: AccountConfig, options: DoctorOptions): Promise<Outcome> {
  const fix = 'Use https://login.salesforce.com (production), https://test.salesforce.com (sandbox) or the org\'s My Domain https://NAME.my.salesforce.com.';
  let loginUrl: string;
  try {
    loginUrl = checkLoginUrl(config.loginUrl);
  } catch (error) {
    return { status: 'fail', detail: (error as Error).message, fix };
  }
  const host = new URL(loginUrl).hostname;
  if (host.endsWith('.lightning.force.com')) {
    return { status: 'fail', detail: `${host} is the Lightning UI address, not a login endpoint`, fix: 'Use the My Domain login URL https://NAME.my.salesforce.com (Setup → My Domain).' };
  }
  let response: Response;
  try {
    response = await postForm(loginUrl, '/services/oauth2/token', new URLSearchParams({ grant_type: '' }), 'probe', { fetch: options.fetch, timeoutMs: options.timeoutMs });
  } catch (error) {
    const detail = error instanceof AuthError ? error.errorDescription : (error as Error).message;
    return { status: 'fail', detail: `login URL is not reachable (${detail})`, fix: `Check the address, DNS and that outbound HTTPS from this server is allowed. ${fix}` };
  }
  const text = await response.text().catch(() => '');
  let answer: { error?: unknown } | null = null;
  try {
    answer = JSON.parse(text) as { error?: unknown };
  } catch {
    answer = null;
  }
  if (!answer || typeof answer.error !== 'string') {
    return { status: 'fail', detail: `login URL is not a Salesforce login endpoint (HTTP ${response.status} to /services/oauth2/token, no OAuth answer)`, fix };
  }
  return { status: 'pass', detail: `${loginUrl} answers the OAuth token endpoint` };
}

const INPUT_CHECK: Record<string, string> = {
  clientId: 'client-id',
  clientSecret: 'client-secret',
};

/** A refused login → which check failed; the checks before it passed (Salesforce checks them first). */
function loginFailure(error: unknown, config: AccountConfig, report: Report): void {
  if (error instanceof AuthInputError) {
    const field = error.field.replace(/^auth\./, '');
    const id = INPUT_CHECK[field] ?? 'credentials';
    if (id !== 'client-id') report.set('client-id', 'skip', 'not checked: the login was not sent');
    report.set(id, 'fail', error.message, 'Complete the account settings (ctibridge accounts add, or the admin UI) and run the check again.');
    return;
  }
  if (!(error instanceof AuthError)) {
    const classified = classifySalesforceError(error);
    report.set('credentials', 'fail', `login failed: ${classified.errorCode}: ${classified.message}`);
    return;
  }
  const said = `Salesforce answered ${error.error}${error.errorDescription ? `: ${error.errorDescription}` : ''}`;
  if (error.error === 'unreachable' || error.error === 'not_salesforce') {
    report.set('client-id', 'fail', said, error.explanation);
    return;
  }
  if (error.error === 'invalid_client_id') {
    report.set('client-id', 'fail', said, error.explanation);
    return;
  }
  report.set('client-id', 'pass', 'Salesforce knows the consumer key');
  if (error.error === 'invalid_client') {
    report.set('client-secret', 'fail', said, error.explanation);
    return;
  }
  report.set('client-secret', ...secretOutcome(config));
  const description = error.errorDescription.toLowerCase();
  if (error.error === 'inactive_user' || description.includes('locked') || description.includes('inactive') || description.includes('frozen')) {
    report.set('credentials', 'pass', 'Salesforce recognised the user');
    report.set('user-status', 'fail', said, error.explanation);
    return;
  }
  const detail = config.auth.flow === 'password' ? `${said}: the password or the security token is wrong (or the user is locked out)` : said;
  report.set('credentials', 'fail', detail, error.explanation);
}

function secretOutcome(config: AccountConfig): [CheckStatus, string] {
  if (config.auth.flow === 'jwtBearer') return ['skip', 'not used by the JWT bearer flow'];
  if (config.auth.flow === 'webServer' && !config.auth.clientSecret) return ['skip', 'no secret configured (public client with PKCE)'];
  return ['pass', 'Salesforce accepted the consumer secret'];
}

function missingFields(describe: DescribeSObject, wanted: string[]): string[] {
  const byName = new Map(describe.fields.map((f) => [f.name, f]));
  return wanted.filter((name) => !byName.get(name)?.createable);
}

async function checkFields(connection: SalesforceConnection, object: string, wanted: string[]): Promise<Outcome> {
  try {
    const describe = await connection.describe(object);
    const missing = missingFields(describe, wanted);
    if (missing.length === 0) return { status: 'pass', detail: `${object}: ${wanted.join(', ')} can be set` };
    return {
      status: 'fail',
      detail: `${object} fields the user cannot set: ${missing.join(', ')}`,
      fix: `Give the integration user's profile or permission set edit access to these fields: Setup → Object Manager → ${object === 'Task' ? 'Task (Activity)' : object} → Fields & Relationships → (field) → Set Field-Level Security → Visible and not Read-Only.`,
    };
  } catch (error) {
    const c = classifySalesforceError(error);
    return { status: 'fail', detail: `cannot describe ${object}: ${c.errorCode}: ${c.message}`, fix: `Give the integration user access to the ${object} object (profile or permission set: Object Settings → ${object}: Read and Create).` };
  }
}

async function checkPermissions(connection: SalesforceConnection, session: TokenSet): Promise<Outcome> {
  const { userId } = idsOfIdentityUrl(session.idUrl);
  let who = 'the user';
  try {
    const [user] = await connection.query<{ Username: string; Profile?: { Name?: string } | null }>(
      `SELECT Username, Profile.Name FROM User WHERE Id = ${soqlString(userId)}`,
    );
    if (user) who = `${user.Username}${user.Profile?.Name ? ` (profile ${user.Profile.Name})` : ''}`;
  } catch {
    // The profile name only decorates the answer; the object rights below decide.
  }
  const global = await connection.describeGlobal();
  const objects = new Map(global.sobjects.map((o) => [o.name, o]));
  const cannot: string[] = [];
  const needs: Array<[string, 'createable' | 'queryable']> = [
    ['Task', 'createable'], ['Case', 'createable'], ['Lead', 'createable'],
    ['Contact', 'queryable'], ['Account', 'queryable'], ['Lead', 'queryable'], ['User', 'queryable'],
  ];
  for (const [name, right] of needs) if (!objects.get(name)?.[right]) cannot.push(`${right === 'createable' ? 'create' : 'read'} ${name}`);
  if (cannot.length === 0) return { status: 'pass', detail: `running as ${who}: may create Task, Case, Lead and read Contact, Account, Lead, User` };
  const taskMissing = cannot.includes('create Task');
  return {
    status: taskMissing ? 'fail' : 'warn',
    detail: `running as ${who}, who cannot ${cannot.join(', ')}`,
    fix: "Give the integration user's profile or a permission set these object permissions (Setup → Profiles or Permission Sets → Object Settings), or use a user with the System Administrator profile.",
  };
}

async function checkFallbackOwner(connection: SalesforceConnection, owner: string | null): Promise<Outcome> {
  if (!owner) return { status: 'skip', detail: 'no fallback owner configured: records without a matched agent belong to the integration user' };
  const where = /^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/.test(owner)
    ? `Id = ${soqlString(owner)}`
    : `Username = ${soqlString(owner)} OR Email = ${soqlString(owner)}`;
  const users = await connection.query<{ Id: string; Username: string; IsActive: boolean }>(`SELECT Id, Username, IsActive FROM User WHERE ${where}`);
  const active = users.find((u) => u.IsActive);
  if (active) return { status: 'pass', detail: `${owner} is ${active.Username} (${active.Id})` };
  return {
    status: 'fail',
    detail: users.length ? `${owner} is an inactive user` : `no user ${owner} in the org`,
    fix: 'Set the account\'s fallback owner to the username, email or Id of an active Salesforce user.',
  };
}

function checkQuota(connection: SalesforceConnection, apiShare: number): Outcome {
  const usage = connection.apiUsage();
  if (!usage) return { status: 'skip', detail: 'Salesforce reported no API usage' };
  const share = usage.used / usage.max;
  const detail = `${usage.used} of ${usage.max} daily API requests used (${(share * 100).toFixed(1)}%), ctibridge's share is ${(apiShare * 100).toFixed(0)}%`;
  if (usage.used >= usage.max) {
    return { status: 'fail', detail, fix: 'The org has spent its rolling 24-hour API limit: wait for it to free up, reduce other integrations\' calls, or buy more API capacity.' };
  }
  if (share > NEARLY_SPENT) return { status: 'warn', detail, fix: 'The org\'s daily API limit is nearly spent: non-urgent deliveries will pause; check which integrations use it (Setup → System Overview).' };
  if (share >= apiShare) return { status: 'warn', detail, fix: 'The org already used more than ctibridge\'s share: ctibridge will hold non-urgent work. Raise the account\'s apiShare if that is intended.' };
  return { status: 'pass', detail };
}

function apiAccessFailure(errorCode: string, message: string): Outcome {
  if (errorCode === 'API_DISABLED_FOR_ORG' || errorCode === 'API_CURRENTLY_DISABLED' || errorCode === 'FUNCTIONALITY_NOT_ENABLED') {
    return {
      status: 'fail',
      detail: `${errorCode}: ${message}`,
      fix: "The API is off for this org or this user. Editions without API access (Essentials, Professional without the API add-on, some trials) cannot be used. Otherwise give the user's profile or a permission set the 'API Enabled' system permission (Setup → Profiles → System Permissions).",
    };
  }
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    return { status: 'fail', detail: `${errorCode}: ${message}`, fix: 'The org has used its API limit: wait for the rolling 24-hour window to free requests, or ask Salesforce for a higher limit.' };
  }
  if (errorCode === 'INVALID_SESSION_ID') {
    return {
      status: 'fail',
      detail: `Salesforce refused the session it had just issued (${message})`,
      fix: "Check the Connected App's IP Relaxation ('Relax IP restrictions') and the org's session settings (Lock sessions to the IP address).",
    };
  }
  return { status: 'fail', detail: `${errorCode}: ${message}` };
}

function checkScopes(config: AccountConfig, session: TokenSet): Outcome {
  if (!session.scope) return { status: 'skip', detail: 'Salesforce did not report the granted scopes for this flow' };
  const scopes = new Set(session.scope.split(/\s+/));
  const missing: string[] = [];
  if (!scopes.has('api') && !scopes.has('full')) missing.push('api');
  if (config.auth.flow === 'webServer' && !scopes.has('refresh_token') && !scopes.has('offline_access') && !scopes.has('full')) missing.push('refresh_token');
  if (missing.length === 0) return { status: 'pass', detail: `granted: ${session.scope}` };
  return {
    status: 'fail',
    detail: `granted: ${session.scope}; missing: ${missing.join(', ')}`,
    fix: "Add 'Manage user data via APIs (api)' and 'Perform requests at any time (refresh_token, offline_access)' to the Connected App's Selected OAuth Scopes, then connect the account again.",
  };
}

export async function runDoctor(config: AccountConfig, options: DoctorOptions = {}): Promise<DoctorResult> {
  const report = new Report(plan(config));

  const probe = await probeLoginUrl(config, options);
  report.set('login-url', probe.status, probe.detail, probe.fix);
  if (probe.status === 'fail') return report.stop('the login URL must work first');

  let session: TokenSet;
  try {
    session = await authenticateAccount(config, { ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  } catch (error) {
    loginFailure(error, config, report);
    return report.stop('the login must succeed first');
  }
  report.set('client-id', 'pass', 'Salesforce knows the consumer key');
  report.set('client-secret', ...secretOutcome(config));
  report.set('credentials', 'pass', `logged in with the ${config.auth.flow} flow`);
  report.set('user-status', 'pass', 'the user may log in');
  if (session.refreshToken && config.auth.flow === 'webServer' && session.refreshToken !== config.auth.refreshToken) {
    options.onTokenRefreshed?.(session.refreshToken);
  }

  const connection = new SalesforceConnection(config, {
    tokens: session,
    tokenCache: null,
    idempotentRetries: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onTokenRefreshed ? { onTokenRefreshed: options.onTokenRefreshed } : {}),
  });

  try {
    const versions = await connection.versions();
    const offered = versions.map((v) => v.version);
    if (!offered.includes(config.apiVersion)) {
      const newest = offered.at(-1) ?? 'unknown';
      report.set('api-version', 'fail', `the org offers API versions up to ${newest}`, `Set the account's apiVersion to ${newest} or another offered version.`);
      return report.stop('the API version must be offered');
    }
    report.set('api-version', 'pass', `offered (newest: ${offered.at(-1)})`);
  } catch (error) {
    const c = classifySalesforceError(error);
    report.set('api-version', 'fail', `cannot list API versions at ${session.instanceUrl}: ${c.errorCode}: ${c.message}`);
    return report.stop('the instance must answer');
  }

  try {
    await connection.limits();
    report.set('api-access', 'pass', 'REST API calls are accepted');
  } catch (error) {
    const c = classifySalesforceError(error);
    const outcome = apiAccessFailure(c.errorCode, c.message);
    report.set('api-access', outcome.status, outcome.detail, outcome.fix);
    return report.stop('the REST API must be usable');
  }

  const scopes = checkScopes(config, session);
  report.set('scopes', scopes.status, scopes.detail, scopes.fix);

  const guarded = async (id: string, run: () => Promise<Outcome>) => {
    try {
      const outcome = await run();
      report.set(id, outcome.status, outcome.detail, outcome.fix);
    } catch (error) {
      const c = classifySalesforceError(error);
      report.set(id, 'fail', `${c.errorCode}: ${c.message}`);
    }
  };
  await guarded('permissions', () => checkPermissions(connection, session));
  await guarded('task-fields', async () => {
    const fields = config.markerField && !TASK_FIELDS.includes(config.markerField) ? [...TASK_FIELDS, config.markerField] : TASK_FIELDS;
    return checkFields(connection, 'Task', fields);
  });
  await guarded('case-fields', () => checkFields(connection, 'Case', CASE_FIELDS));
  await guarded('fallback-owner', () => checkFallbackOwner(connection, config.fallbackOwner));
  const quota = checkQuota(connection, config.apiShare);
  report.set('api-quota', quota.status, quota.detail, quota.fix);
  return report.result();
}

const MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

/** Plain text for the CLI: one line per check, the fix indented under failures and warnings. */
export function formatDoctorReport(result: DoctorResult): string {
  const lines: string[] = [];
  for (const check of result.checks) {
    lines.push(`${MARK[check.status]} ${check.title}: ${check.detail}`);
    if (check.fix && (check.status === 'fail' || check.status === 'warn')) lines.push(`    fix: ${check.fix}`);
  }
  const failed = result.checks.filter((c) => c.status === 'fail').length;
  const warned = result.checks.filter((c) => c.status === 'warn').length;
  lines.push(failed ? `${failed} check${failed > 1 ? 's' : ''} failed.` : `All checks passed${warned ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}.`);
  return lines.join('\n');
}
