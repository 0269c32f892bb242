export { AuthError, AuthInputError, explainAuthError, type GrantKind } from './errors.ts';
export { idsOfIdentityUrl, type OAuthCallOptions, type TokenSet } from './token-endpoint.ts';
export {
  passwordGrant, exchangeAuthorizationCode, refreshAccessToken, clientCredentialsGrant,
  type PasswordGrantInput, type AuthorizationCodeInput, type RefreshInput, type ClientCredentialsInput,
} from './grants.ts';
export { buildAuthorizeUrl, codeChallengeOf, DEFAULT_WEB_SERVER_SCOPE, type AuthorizeUrlInput, type AuthorizeRequest } from './authorize-url.ts';
export { jwtBearerGrant, buildJwtAssertion, audienceFor, type JwtBearerInput } from './jwt-bearer.ts';
export { revokeToken, type RevokeInput } from './revoke.ts';
export { authenticateAccount } from './account.ts';
