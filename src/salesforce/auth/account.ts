import type { AccountConfig } from '../../domain/account.ts';
import { jwtBearerGrant } from './jwt-bearer.ts';
import { clientCredentialsGrant, passwordGrant, refreshAccessToken } from './grants.ts';
import { AuthInputError } from './errors.ts';
import type { OAuthCallOptions, TokenSet } from './token-endpoint.ts';

/**
 * A fresh session for an account, by its configured flow. For the web-server flow this is a refresh: the
 * interactive half (buildAuthorizeUrl / exchangeAuthorizationCode) happens once, in the admin UI.
 * `refreshToken` overrides the configured one (it may have rotated since the config was read).
 */
export async function authenticateAccount(account: AccountConfig, options: OAuthCallOptions & { refreshToken?: string } = {}): Promise<TokenSet> {
  const { loginUrl, auth } = account;
  switch (auth.flow) {
    case 'password':
      return passwordGrant({ loginUrl, ...auth }, options);
    case 'clientCredentials':
      return clientCredentialsGrant({ loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret }, options);
    case 'jwtBearer':
      return jwtBearerGrant({ loginUrl, clientId: auth.clientId, username: auth.username, privateKey: auth.privateKey }, options);
    case 'webServer': {
      const refreshToken = options.refreshToken ?? auth.refreshToken;
      if (!refreshToken) {
        throw new AuthInputError('auth.refreshToken', 'missing: connect the account to Salesforce first (admin UI → Accounts → Connect), which stores a refresh token');
      }
      return refreshAccessToken({ loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret, refreshToken }, options);
    }
  }
}
