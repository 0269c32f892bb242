import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { AuthInputError } from './errors.ts';
import { checkLoginUrl, requestToken, requireText, type OAuthCallOptions, type TokenSet } from './token-endpoint.ts';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce accepts assertions that expire within 3 minutes. */
const ASSERTION_LIFETIME_SEC = 180;

export interface JwtBearerInput {
  loginUrl: string;
  clientId: string;
  username: string;
  /** PEM private key matching the certificate uploaded to the Connected App. */
  privateKey: string;
  /** Defaults to the audience Salesforce expects for this login URL (see audienceFor). */
  audience?: string;
  /** Seconds since the epoch; for a fixed clock. */
  now?: number;
}

/**
 * Salesforce checks `aud` against its login hosts: a My Domain login URL is served by login.salesforce.com
 * (test.salesforce.com for a sandbox), so those are the audiences; any other login URL is its own audience.
 */
export function audienceFor(loginUrl: string): string {
  const host = new URL(loginUrl).hostname;
  if (host.endsWith('.sandbox.my.salesforce.com')) return 'https://test.salesforce.com';
  if (host.endsWith('.my.salesforce.com')) return 'https://login.salesforce.com';
  return loginUrl;
}

function loadKey(pem: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    return key;
  } catch {
    // Never echo the key: it is a secret even when malformed.
    throw new AuthInputError('privateKey', 'must be an RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)');
  }
}

/** An RS256-signed assertion: iss = client id, sub = username, aud = login audience, exp = now + 3 min. */
export function buildJwtAssertion(input: JwtBearerInput): string {
  const loginUrl = checkLoginUrl(input.loginUrl);
  const clientId = requireText('clientId', input.clientId, "required: the Connected App's Consumer Key");
  const username = requireText('username', input.username, 'required: the Salesforce username to act as');
  const key = loadKey(requireText('privateKey', input.privateKey, "required: the PEM private key of the Connected App's certificate"));
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({
    iss: clientId,
    sub: username,
    aud: input.audience ?? audienceFor(loginUrl),
    exp: now + ASSERTION_LIFETIME_SEC,
  })}`;
  const signature = sign('sha256', Buffer.from(signingInput), key).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** JWT bearer flow: no password and no refresh token; a new assertion whenever a session is needed. */
export async function jwtBearerGrant(input: JwtBearerInput, options?: OAuthCallOptions): Promise<TokenSet> {
  const form = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: buildJwtAssertion(input) });
  return requestToken(checkLoginUrl(input.loginUrl), form, 'jwt_bearer', options);
}
