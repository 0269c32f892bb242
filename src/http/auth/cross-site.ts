/**
 * Cross-site request refusal, from headers alone (pure). Browsers attach the session cookie to requests that
 * another site triggers; these checks keep such requests from changing anything, before authentication runs.
 */

export interface RequestFacts {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** Origins this service is reached at: its own (from Host and the forwarded scheme) and the public URL. */
  ownOrigins: string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The content types an HTML form can send without JavaScript: the admin API never takes them. */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

function header(headers: RequestFacts['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** Why a state-changing request looks cross-site or form-posted, or null when it does not. */
export function crossSiteReason(facts: RequestFacts): string | null {
  if (!isStateChanging(facts.method)) return null;
  const fetchSite = header(facts.headers, 'sec-fetch-site');
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return `the browser marked this request as ${fetchSite}`;
  const origin = header(facts.headers, 'origin');
  if (origin !== undefined && !facts.ownOrigins.includes(origin)) return `Origin ${origin} is not this service`;
  const contentType = (header(facts.headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (FORM_TYPES.includes(contentType)) return `the admin API takes application/json, not ${contentType} (a form post)`;
  return null;
}

/** The origin a request reached this service at, from Host and X-Forwarded-Proto. */
export function requestOrigin(headers: RequestFacts['headers'], socketEncrypted: boolean): string | null {
  const host = header(headers, 'x-forwarded-host') ?? header(headers, 'host');
  if (!host) return null;
  const proto = (header(headers, 'x-forwarded-proto') ?? (socketEncrypted ? 'https' : 'http')).split(',')[0].trim();
  return `${proto}://${host}`;
}
