import { createHash, timingSafeEqual } from 'node:crypto';
import type { EmuRequest, EmuResponse } from '../http-types.ts';
import type { Credentials, Org } from '../org.ts';
import type { SeedApp } from '../seed/types.ts';
import {
  authenticationFailure, clientCredentials, formParams, grantedScope, invalidClient, invalidClientId, oauthError, tokenResponse,
  wantsRefreshToken,
} from './common.ts';
import { peekClaims, verifyRs256 } from './jwt.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function userCanLogIn(org: Org, credentials: Credentials | undefined): credentials is Credentials {
  if (!credentials || credentials.locked) return false;
  return org.user(credentials.userId)?.IsActive !== false;
}

function passwordGrant(org: Org, app: SeedApp, params: URLSearchParams): EmuResponse {
  if (!app.grants.includes('password')) return authenticationFailure();
  const credentials = org.credentialsFor(params.get('username') ?? '');
  // The password field carries password + security token; a missing or wrong token is the same failure.
  const expected = credentials ? credentials.password + credentials.securityToken : '';
  if (!credentials || !sameSecret(params.get('password') ?? '', expected)) return authenticationFailure();
  if (org.user(credentials.userId)?.IsActive === false) return oauthError('inactive_user', 'user is inactive');
  if (!userCanLogIn(org, credentials)) return authenticationFailure();
  return tokenResponse(org, app, credentials.userId, grantedScope(app, params.get('scope')), false);
}

function pkceMatches(challenge: string, method: string | undefined, verifier: string | null): boolean {
  if (!verifier) return false;
  const computed = method === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
  return sameSecret(computed, challenge);
}

function authorizationCodeGrant(org: Org, app: SeedApp, params: URLSearchParams, secretGiven: boolean): EmuResponse {
  if (!app.grants.includes('authorization_code')) return authenticationFailure();
  const code = org.sessions.consumeCode(params.get('code') ?? '');
  if (!code) return oauthError('invalid_grant', 'expired authorization code');
  if (code.clientId !== app.clientId) return oauthError('invalid_grant', 'invalid authorization code');
  if (params.get('redirect_uri') !== code.redirectUri) return oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
  if (code.codeChallenge && !pkceMatches(code.codeChallenge, code.codeChallengeMethod, params.get('code_verifier'))) {
    return oauthError('invalid_grant', 'invalid code verifier');
  }
  // A public client (no secret) must prove possession with PKCE instead.
  if (!secretGiven && !code.codeChallenge) return invalidClient();
  const credentials = org.credentialsById(code.userId);
  if (!userCanLogIn(org, credentials)) return authenticationFailure();
  return tokenResponse(org, app, code.userId, code.scope, wantsRefreshToken(app, code.scope));
}

function refreshTokenGrant(org: Org, app: SeedApp, params: URLSearchParams): EmuResponse {
  const grant = org.sessions.refreshGrant(params.get('refresh_token') ?? '');
  if (!grant || grant.clientId !== app.clientId || !app.grants.includes('refresh_token')) {
    return oauthError('invalid_grant', 'expired access/refresh token');
  }
  if (!userCanLogIn(org, org.credentialsById(grant.userId))) return oauthError('invalid_grant', 'inactive user');
  return tokenResponse(org, app, grant.userId, grant.scope, grant.refreshToken);
}

function clientCredentialsGrant(org: Org, app: SeedApp, params: URLSearchParams): EmuResponse {
  const runAs = app.grants.includes('client_credentials') && app.clientCredentialsUser
    ? org.credentialsFor(app.clientCredentialsUser)
    : undefined;
  if (!runAs) return oauthError('invalid_grant', 'no client credentials user enabled');
  if (!userCanLogIn(org, runAs)) return authenticationFailure();
  return tokenResponse(org, app, runAs.userId, grantedScope(app, params.get('scope')), false);
}

function audienceIsValid(org: Org, aud: unknown): boolean {
  const valid = [org.url, 'https://login.salesforce.com', 'https://test.salesforce.com'];
  const list = Array.isArray(aud) ? aud : [aud];
  return list.some((a) => typeof a === 'string' && valid.includes(a.replace(/\/$/, '')));
}

function jwtBearerGrant(org: Org, params: URLSearchParams): EmuResponse {
  const assertion = params.get('assertion') ?? '';
  const peeked = peekClaims(assertion);
  if (!peeked) return oauthError('invalid_grant', 'invalid assertion');
  const app = typeof peeked.iss === 'string' ? org.app(peeked.iss) : undefined;
  if (!app) return invalidClientId();
  if (!app.grants.includes('jwt_bearer') || !app.certificate) return oauthError('invalid_grant', 'invalid assertion');
  const claims = verifyRs256(assertion, app.certificate);
  if (!claims) return oauthError('invalid_grant', 'invalid assertion');
  if (!audienceIsValid(org, claims.aud)) return oauthError('invalid_grant', 'audience is invalid');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return oauthError('invalid_grant', 'invalid assertion');
  const credentials = typeof claims.sub === 'string' ? org.credentialsFor(claims.sub) : undefined;
  if (!userCanLogIn(org, credentials)) return oauthError('invalid_grant', "user hasn't approved this consumer");
  return tokenResponse(org, app, credentials.userId, grantedScope(app, params.get('scope')), false);
}

/** `POST /services/oauth2/token`. */
export function token(org: Org, req: EmuRequest): EmuResponse {
  if (req.method !== 'POST') return oauthError('invalid_request', 'must use HTTP POST');
  const params = formParams(req);
  const grantType = params.get('grant_type');
  if (grantType === JWT_BEARER) return jwtBearerGrant(org, params);
  if (!grantType || !['password', 'authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) {
    return oauthError('unsupported_grant_type', 'grant type not supported');
  }
  const { clientId, clientSecret } = clientCredentials(req, params);
  const app = clientId ? org.app(clientId) : undefined;
  if (!app) return invalidClientId();
  const secretRequired = grantType === 'password' || grantType === 'client_credentials';
  if ((clientSecret !== null || secretRequired) && !sameSecret(clientSecret ?? '', app.clientSecret)) return invalidClient();
  switch (grantType) {
    case 'password':
      return passwordGrant(org, app, params);
    case 'authorization_code':
      return authorizationCodeGrant(org, app, params, clientSecret !== null);
    case 'refresh_token':
      return refreshTokenGrant(org, app, params);
    default:
      return clientCredentialsGrant(org, app, params);
  }
}

/** `POST /services/oauth2/revoke`: an access or refresh token; 200 with an empty body. */
export function revoke(org: Org, req: EmuRequest): EmuResponse {
  const tokenValue = formParams(req).get('token') ?? '';
  if (!org.sessions.revoke(tokenValue)) return oauthError('unsupported_token_type', 'this token type is not supported');
  return { status: 200, text: '', contentType: 'text/plain' };
}
