import { CtiError } from '../../errors.ts';

/** Which OAuth step failed: the same Salesforce error means different fixes in different flows. */
export type GrantKind = 'password' | 'authorization_code' | 'refresh_token' | 'client_credentials' | 'jwt_bearer' | 'revoke' | 'probe';

/**
 * A refused or failed OAuth call. `error` / `errorDescription` are Salesforce's own words (or `unreachable` /
 * `not_salesforce` when no Salesforce answered); `explanation` says in plain words what to fix. No secret is
 * ever part of it.
 */
export class AuthError extends CtiError {
  constructor(
    readonly error: string,
    readonly errorDescription: string,
    readonly status: number | null,
    readonly explanation: string,
    readonly grant: GrantKind,
  ) {
    super('SALESFORCE_AUTH', `${explanation} (Salesforce said: ${error}${errorDescription ? `: ${errorDescription}` : ''})`, {
      error,
      errorDescription,
      status,
      grant,
    });
    this.name = 'AuthError';
  }
}

/** Inputs refused before anything is sent: names the field and the fix. */
export class AuthInputError extends CtiError {
  constructor(
    readonly field: string,
    fix: string,
  ) {
    super('INVALID_AUTH_INPUT', `${field}: ${fix}`, { field });
    this.name = 'AuthInputError';
  }
}

const SECURITY_TOKEN_HELP =
  'A password change resets the security token: get the new one in Salesforce at (your name) → Settings → ' +
  'Reset My Security Token (it is emailed to the user). If that link is missing, the profile has Login IP Ranges; ' +
  'open /_ui/system/security/ResetApiTokenEdit on the org to reach it, or leave the token empty if this server ' +
  'is inside a trusted IP range.';

function authenticationFailure(grant: GrantKind): string {
  switch (grant) {
    case 'password':
      return `Salesforce refused the username, password and security token together. Check the username and password, then the security token: the password field must be the password followed by the security token. ${SECURITY_TOKEN_HELP} A user locked out by too many attempts gets the same answer: unlock them in Setup → Users.`;
    case 'client_credentials':
      return 'The Client Credentials Flow has no usable run-as user: in the Connected App (Manage → Edit Policies) enable Client Credentials Flow and choose an active "Run As" user with API access.';
    case 'jwt_bearer':
      return "Salesforce refused the JWT assertion: the username must be an active user pre-authorized for the Connected App (Manage → Edit Policies → Permitted Users: Admin approved users are pre-authorized, then add the user's profile or permission set).";
    default:
      return 'Salesforce refused the login: check the user is active and not locked (Setup → Users).';
  }
}

/** Plain-words explanation of one Salesforce OAuth error for one grant. */
export function explainAuthError(error: string, description: string, grant: GrantKind): string {
  const text = description.toLowerCase();
  switch (error) {
    case 'invalid_client_id':
      return "The Consumer Key (client id) is not known at this login URL: copy it from the Connected App's Manage Consumer Details, and check the login URL is the org's (login/test/My Domain). A new Connected App can take up to 10 minutes to become usable.";
    case 'invalid_client':
      return text.includes('secret') || text.includes('credentials')
        ? "The Consumer Secret does not match the Connected App: copy it again from the Connected App's Manage Consumer Details (it changes when the secret is rotated)."
        : "The Connected App refused this client: check the Consumer Key and Consumer Secret in the Connected App's Manage Consumer Details.";
    case 'unsupported_grant_type':
      return 'This login URL does not accept this OAuth flow: check the login URL and that the Connected App enables the flow (OAuth settings of the Connected App).';
    case 'redirect_uri_mismatch':
      return "The callback URL is not one of the Connected App's Callback URLs: add ctibridge's /oauth/callback URL to the Connected App (Edit → API (Enable OAuth Settings) → Callback URL).";
    case 'invalid_scope':
      return "The Connected App does not allow the requested scopes: add 'Manage user data via APIs (api)' and 'Perform requests at any time (refresh_token, offline_access)' to its Selected OAuth Scopes.";
    case 'inactive_user':
      return 'The Salesforce user is inactive: reactivate it in Setup → Users, or use another user.';
    case 'inactive_org':
      return 'The Salesforce org is inactive or expired (a trial or sandbox that ended): use an active org.';
    case 'invalid_request':
      return 'Salesforce refused the request as malformed: check the login URL points at the org\'s login endpoint.';
    case 'unreachable':
      return 'Salesforce could not be reached at this login URL: check the URL, the DNS name and that outbound HTTPS is allowed from this server.';
    case 'not_salesforce':
      return 'The login URL is not a Salesforce login endpoint: use https://login.salesforce.com, https://test.salesforce.com (sandbox) or the org\'s My Domain https://NAME.my.salesforce.com.';
  }
  if (error !== 'invalid_grant') return 'Salesforce refused the login: see its message for the cause.';
  if (text.includes('locked')) return 'The Salesforce user is locked out (too many failed logins): unlock them in Setup → Users, then try again.';
  if (text.includes('inactive')) return 'The Salesforce user is inactive or frozen: reactivate it in Setup → Users, or use another user.';
  if (text.includes('ip restricted') || text.includes('login hours')) {
    return "Salesforce refused the login from this server's IP address or at this hour: add the IP to the profile's Login IP Ranges or set the Connected App's IP Relaxation to 'Relax IP restrictions'.";
  }
  if (text.includes('password expired')) return "The user's password has expired: log in once in a browser to set a new one, then update the password and the new security token here.";
  if (text.includes("hasn't approved") || text.includes('not approved')) {
    return "The user has not approved this Connected App: pre-authorize it (Connected App → Manage → Edit Policies → Permitted Users: Admin approved users are pre-authorized, then add the user's profile or permission set).";
  }
  if (text.includes('audience')) return 'The JWT audience is wrong: it must be https://login.salesforce.com (production) or https://test.salesforce.com (sandbox).';
  if (text.includes('assertion') || text.includes('signature')) {
    return "Salesforce could not verify the JWT assertion: the private key must match the certificate uploaded to the Connected App ('Use digital signatures'), and this server's clock must be right.";
  }
  if (text.includes('refresh token') || (grant === 'refresh_token' && text.includes('expired'))) {
    return 'The refresh token is expired or revoked: connect the account to Salesforce again (web-server login), and check the Connected App\'s Refresh Token Policy.';
  }
  if (text.includes('authorization code') || text.includes('code verifier')) {
    return 'The authorization code is expired, already used or does not match its PKCE verifier: start the Salesforce login again.';
  }
  if (text.includes('client credentials user')) return authenticationFailure('client_credentials');
  if (text.includes('authentication failure') || text.includes('invalid')) return authenticationFailure(grant);
  return 'Salesforce refused the login: see its message for the cause.';
}
