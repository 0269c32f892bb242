import { AuthError, explainAuthError } from './errors.ts';
import { checkLoginUrl, postForm, requireText, type OAuthCallOptions } from './token-endpoint.ts';

export interface RevokeInput {
  loginUrl: string;
  /** An access token or a refresh token (revoking a refresh token ends its sessions too). */
  token: string;
}

/** `POST {loginUrl}/services/oauth2/revoke`; resolves when Salesforce confirms. */
export async function revokeToken(input: RevokeInput, options?: OAuthCallOptions): Promise<void> {
  const loginUrl = checkLoginUrl(input.loginUrl);
  const form = new URLSearchParams({ token: requireText('token', input.token, 'required: the access or refresh token to revoke') });
  const response = await postForm(loginUrl, '/services/oauth2/revoke', form, 'revoke', options);
  if (response.ok) {
    await response.arrayBuffer().catch(() => undefined);
    return;
  }
  const text = await response.text().catch(() => '');
  let body: { error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: described below as not a Salesforce answer
  }
  const error = typeof body.error === 'string' ? body.error : 'not_salesforce';
  const description = typeof body.error_description === 'string' ? body.error_description : `HTTP ${response.status}`;
  throw new AuthError(error, description, response.status, explainAuthError(error, description, 'revoke'), 'revoke');
}
