import { checkLoginUrl, requestToken, requireText, type OAuthCallOptions, type TokenSet } from './token-endpoint.ts';

/**
 * One function per OAuth grant: each checks its inputs before sending anything, keeps no state and returns
 * exactly what Salesforce returned. Callers keep the tokens.
 */

const CLIENT_ID_FIX = "required: the Connected App's Consumer Key (Manage Consumer Details)";
const CLIENT_SECRET_FIX = "required: the Connected App's Consumer Secret (Manage Consumer Details)";

export interface PasswordGrantInput {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Appended to the password, as Salesforce expects; empty when the server is inside a trusted IP range. */
  securityToken?: string;
  scope?: string;
}

/** Username-password flow. Salesforce returns no refresh token here: log in again when the session ends. */
export async function passwordGrant(input: PasswordGrantInput, options?: OAuthCallOptions): Promise<TokenSet> {
  const loginUrl = checkLoginUrl(input.loginUrl);
  const form = new URLSearchParams({
    grant_type: 'password',
    client_id: requireText('clientId', input.clientId, CLIENT_ID_FIX),
    client_secret: requireText('clientSecret', input.clientSecret, CLIENT_SECRET_FIX),
    username: requireText('username', input.username, 'required: the Salesforce username ctibridge logs in as'),
    password: requireText('password', input.password, "required: the Salesforce user's password") + (input.securityToken ?? ''),
  });
  if (input.scope) form.set('scope', input.scope);
  return requestToken(loginUrl, form, 'password', options);
}

export interface AuthorizationCodeInput {
  loginUrl: string;
  clientId: string;
  /** Optional for a public client that proves itself with PKCE. */
  clientSecret?: string;
  redirectUri: string;
  code: string;
  codeVerifier: string;
}

/** Web-server flow, second half: the code from the callback plus the PKCE verifier from buildAuthorizeUrl. */
export async function exchangeAuthorizationCode(input: AuthorizationCodeInput, options?: OAuthCallOptions): Promise<TokenSet> {
  const loginUrl = checkLoginUrl(input.loginUrl);
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: requireText('clientId', input.clientId, CLIENT_ID_FIX),
    redirect_uri: requireText('redirectUri', input.redirectUri, 'required: the same callback URL the authorization started with'),
    code: requireText('code', input.code, 'required: the code Salesforce sent to the callback URL'),
    code_verifier: requireText('codeVerifier', input.codeVerifier, 'required: the verifier buildAuthorizeUrl returned with this login'),
  });
  if (input.clientSecret) form.set('client_secret', input.clientSecret);
  return requestToken(loginUrl, form, 'authorization_code', options);
}

export interface RefreshInput {
  loginUrl: string;
  clientId: string;
  clientSecret?: string;
  refreshToken: string;
}

/** A new access token from a refresh token. The answer carries a refresh token only if the app rotates them. */
export async function refreshAccessToken(input: RefreshInput, options?: OAuthCallOptions): Promise<TokenSet> {
  const loginUrl = checkLoginUrl(input.loginUrl);
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: requireText('clientId', input.clientId, CLIENT_ID_FIX),
    refresh_token: requireText('refreshToken', input.refreshToken, 'required: connect the account to Salesforce first (web-server login)'),
  });
  if (input.clientSecret) form.set('client_secret', input.clientSecret);
  return requestToken(loginUrl, form, 'refresh_token', options);
}

export interface ClientCredentialsInput {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

/** Client credentials flow: runs as the Connected App's "Run As" user; needs the org's My Domain login URL. */
export async function clientCredentialsGrant(input: ClientCredentialsInput, options?: OAuthCallOptions): Promise<TokenSet> {
  const loginUrl = checkLoginUrl(input.loginUrl);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: requireText('clientId', input.clientId, CLIENT_ID_FIX),
    client_secret: requireText('clientSecret', input.clientSecret, CLIENT_SECRET_FIX),
  });
  if (input.scope) form.set('scope', input.scope);
  return requestToken(loginUrl, form, 'client_credentials', options);
}
