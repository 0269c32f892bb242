import { isLoopbackHost } from '../../domain/account.ts';
import { AuthError, AuthInputError, explainAuthError, type GrantKind } from './errors.ts';

/** What a successful token call gives: enough to call the REST API and to know who we are. */
export interface TokenSet {
  accessToken: string;
  instanceUrl: string;
  /** Identity URL `…/id/{orgId}/{userId}`. */
  idUrl: string;
  /** Milliseconds since the epoch, as Salesforce's `issued_at`. */
  issuedAt: number;
  refreshToken?: string;
  scope?: string;
}

/** Per-call transport settings; `fetch` lets a caller observe or route the token calls. */
export interface OAuthCallOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function requireText(field: string, value: unknown, fix: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new AuthInputError(field, fix);
  return value;
}

/** A login URL: https (http only on loopback, for the emulator), no trailing slash. */
export function checkLoginUrl(value: unknown, field = 'loginUrl'): string {
  const text = requireText(field, value, 'required: https://login.salesforce.com, https://test.salesforce.com or https://NAME.my.salesforce.com');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AuthInputError(field, `"${text}" is not a URL; use https://login.salesforce.com, https://test.salesforce.com or https://NAME.my.salesforce.com`);
  }
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
    throw new AuthInputError(field, 'must use https:// (http:// only for a local emulator on a loopback address)');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function timeoutSignal(options: OAuthCallOptions): AbortSignal {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
}

function unreachable(loginUrl: string, error: unknown, grant: GrantKind): AuthError {
  const cause = (error as { cause?: { code?: string } })?.cause?.code ?? (error as Error)?.name ?? 'error';
  return new AuthError('unreachable', `${new URL(loginUrl).host}: ${cause}`, null, explainAuthError('unreachable', '', grant), grant);
}

/** POST a form to `{loginUrl}{path}`; network failures become AuthError('unreachable'). */
export async function postForm(loginUrl: string, path: string, form: URLSearchParams, grant: GrantKind, options: OAuthCallOptions = {}): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  try {
    return await doFetch(`${loginUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
      redirect: 'manual',
      signal: timeoutSignal(options),
    });
  } catch (error) {
    throw unreachable(loginUrl, error, grant);
  }
}

async function readJson(response: Response): Promise<Record<string, unknown> | null> {
  const text = await response.text().catch(() => '');
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function notSalesforce(status: number, grant: GrantKind): AuthError {
  return new AuthError('not_salesforce', `HTTP ${status} without an OAuth answer`, status, explainAuthError('not_salesforce', '', grant), grant);
}

/** The token endpoint's answer as a TokenSet, or the AuthError Salesforce described. */
export async function readTokenResponse(response: Response, grant: GrantKind): Promise<TokenSet> {
  const body = await readJson(response);
  if (!body) throw notSalesforce(response.status, grant);
  if (!response.ok || typeof body.access_token !== 'string') {
    if (typeof body.error !== 'string') throw notSalesforce(response.status, grant);
    const description = typeof body.error_description === 'string' ? body.error_description : '';
    throw new AuthError(body.error, description, response.status, explainAuthError(body.error, description, grant), grant);
  }
  if (typeof body.instance_url !== 'string' || typeof body.id !== 'string') throw notSalesforce(response.status, grant);
  const issuedAt = Number(body.issued_at);
  return {
    accessToken: body.access_token,
    instanceUrl: body.instance_url.replace(/\/+$/, ''),
    idUrl: body.id,
    issuedAt: Number.isFinite(issuedAt) ? issuedAt : Date.now(),
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    ...(typeof body.scope === 'string' ? { scope: body.scope } : {}),
  };
}

/** `POST {loginUrl}/services/oauth2/token` with a form, answered as a TokenSet. */
export async function requestToken(loginUrl: string, form: URLSearchParams, grant: GrantKind, options: OAuthCallOptions = {}): Promise<TokenSet> {
  const response = await postForm(loginUrl, '/services/oauth2/token', form, grant, options);
  return readTokenResponse(response, grant);
}

/** `…/id/{orgId}/{userId}` → its two ids. */
export function idsOfIdentityUrl(idUrl: string): { orgId: string; userId: string } {
  const [orgId, userId] = new URL(idUrl).pathname.split('/').filter(Boolean).slice(-2);
  return { orgId, userId };
}
