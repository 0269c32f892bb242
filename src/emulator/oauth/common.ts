import { createHmac } from 'node:crypto';
import type { EmuRequest, EmuResponse } from '../http-types.ts';
import { json } from '../http-types.ts';
import type { Org } from '../org.ts';
import type { SeedApp } from '../seed/types.ts';

export function oauthError(error: string, description: string, status = 400): EmuResponse {
  return json(status, { error, error_description: description });
}

export const invalidClientId = () => oauthError('invalid_client_id', 'client identifier invalid');
export const invalidClient = () => oauthError('invalid_client', 'invalid client credentials');
export const authenticationFailure = () => oauthError('invalid_grant', 'authentication failure');

/** Form fields of a POST (body) merged over the query string, as Salesforce accepts both. */
export function formParams(req: EmuRequest): URLSearchParams {
  const params = new URLSearchParams(req.query);
  for (const [key, value] of new URLSearchParams(req.rawBody)) params.set(key, value);
  return params;
}

/** Client id and secret from the form or from HTTP Basic authentication. */
export function clientCredentials(req: EmuRequest, params: URLSearchParams): { clientId: string | null; clientSecret: string | null } {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { clientId: params.get('client_id'), clientSecret: params.get('client_secret') };
}

export function identityUrl(org: Org, userId: string): string {
  return `${org.url}/id/${org.id}/${userId}`;
}

/** Granted scopes: what was asked for and the app allows, or everything the app allows. */
export function grantedScope(app: SeedApp, requested: string | null): string {
  const allowed = app.scopes ?? ['api', 'refresh_token', 'id'];
  if (!requested) return allowed.join(' ');
  const asked = requested.split(/\s+/).filter(Boolean);
  const granted = allowed.includes('full') ? asked : asked.filter((s) => allowed.includes(s));
  return (granted.length ? granted : allowed).join(' ');
}

/** The token endpoint's success body, signed as Salesforce signs it: HMAC-SHA256(id + issued_at) with the client secret. */
export function tokenResponse(org: Org, app: SeedApp, userId: string, scope: string, refresh: boolean | string): EmuResponse {
  const session = org.sessions.issue(userId, app.clientId, scope, refresh);
  const id = identityUrl(org, userId);
  const issuedAt = String(session.issuedAt);
  const signature = createHmac('sha256', app.clientSecret).update(id + issuedAt).digest('base64');
  return json(200, {
    access_token: session.accessToken,
    ...(refresh === true && session.refreshToken ? { refresh_token: session.refreshToken } : {}),
    signature,
    scope,
    instance_url: org.url,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  });
}

export function wantsRefreshToken(app: SeedApp, scope: string): boolean {
  return app.grants.includes('refresh_token') && /\b(refresh_token|offline_access)\b/.test(scope);
}
