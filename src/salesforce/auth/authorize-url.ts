import { createHash, randomBytes } from 'node:crypto';
import { AuthInputError } from './errors.ts';
import { checkLoginUrl, requireText } from './token-endpoint.ts';

export interface AuthorizeUrlInput {
  loginUrl: string;
  clientId: string;
  redirectUri: string;
  /** Space-separated; ctibridge needs `api refresh_token` so the worker can renew sessions unattended. */
  scope?: string;
  /** Anti-CSRF value echoed back to the callback; random when not given. */
  state?: string;
  /** e.g. `login consent` to force the login page. */
  prompt?: string;
}

export interface AuthorizeRequest {
  url: string;
  state: string;
  /** Keep it (server side) until the callback: exchangeAuthorizationCode needs it. */
  codeVerifier: string;
}

export const DEFAULT_WEB_SERVER_SCOPE = 'api refresh_token';

/** RFC 7636 S256: BASE64URL(SHA256(verifier)). */
export function codeChallengeOf(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}

/** Web-server flow, first half: the URL to send the user's browser to, with a fresh PKCE verifier and state. */
export function buildAuthorizeUrl(input: AuthorizeUrlInput): AuthorizeRequest {
  const loginUrl = checkLoginUrl(input.loginUrl);
  const clientId = requireText('clientId', input.clientId, "required: the Connected App's Consumer Key");
  const redirectUri = requireText('redirectUri', input.redirectUri, "required: one of the Connected App's Callback URLs");
  try {
    new URL(redirectUri);
  } catch {
    throw new AuthInputError('redirectUri', `"${redirectUri}" is not an absolute URL; use the full callback URL, e.g. https://ctibridge.example/oauth/callback`);
  }
  // 32 random bytes → 43 base64url characters, within RFC 7636's 43..128.
  const codeVerifier = randomBytes(32).toString('base64url');
  const state = input.state ?? randomBytes(16).toString('base64url');
  const url = new URL(`${loginUrl}/services/oauth2/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', input.scope ?? DEFAULT_WEB_SERVER_SCOPE);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', codeChallengeOf(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (input.prompt) url.searchParams.set('prompt', input.prompt);
  return { url: url.toString(), state, codeVerifier };
}
