import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../server.ts';
import { exchangeAuthorizationCode } from '../../salesforce/auth/index.ts';
import { CtiError } from '../../errors.ts';
import { parseCookies } from '../auth/cookies.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { hashSessionId, takePendingConnect } from './api/connect.ts';
import { rememberInstanceUrl } from './api/links.ts';

/** Back to the accounts page with the outcome in the hash (the UI shows it; nothing secret goes in a URL). */
function accountsPage(outcome: Record<string, string>): string {
  return `/#/accounts?${new URLSearchParams(outcome).toString()}`;
}

/**
 * `GET /oauth/callback`: the second half of the web-server flow. The state must be one this service issued
 * (single use, 15 minutes, same browser session); the code is exchanged with the PKCE verifier kept server
 * side, and the refresh token is stored encrypted in the account's auth.
 */
export async function oauthRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const { store } = deps;
  app.get<{ Querystring: { code?: string; state?: string; error?: string; error_description?: string } }>('/oauth/callback', async (request, reply) => {
    const { code, state, error, error_description: description } = request.query;
    const pending = state ? await takePendingConnect(store, state) : null;
    if (!pending) {
      return reply.redirect(accountsPage({ oauthError: 'This Salesforce login was not started here, has expired (15 minutes) or was already used: press "Connect with Salesforce" again.' }));
    }
    const sessionId = parseCookies(request.headers.cookie)[SESSION_COOKIE];
    if (pending.sessionHash && (!sessionId || hashSessionId(sessionId) !== pending.sessionHash)) {
      return reply.redirect(accountsPage({ account: pending.account, oauthError: 'The Salesforce login finished in a different browser session than the one that started it: start again from the same browser.' }));
    }
    if (error || !code) {
      const why = error === 'access_denied' ? 'access was denied on the Salesforce approval page' : `Salesforce answered ${error ?? 'without a code'}${description ? `: ${description}` : ''}`;
      return reply.redirect(accountsPage({ account: pending.account, oauthError: `Not connected: ${why}.` }));
    }
    const stored = await store.accounts.get(pending.account);
    if (!stored || stored.config.auth.flow !== 'webServer') {
      return reply.redirect(accountsPage({ account: pending.account, oauthError: `Account "${pending.account}" was removed or no longer uses the web-server flow.` }));
    }
    const { config } = stored;
    const auth = config.auth as Extract<typeof config.auth, { flow: 'webServer' }>;
    try {
      const tokens = await exchangeAuthorizationCode({
        loginUrl: config.loginUrl,
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        redirectUri: pending.redirectUri,
        code,
        codeVerifier: pending.codeVerifier,
      });
      if (!tokens.refreshToken) {
        return reply.redirect(accountsPage({ account: config.name, oauthError: "Salesforce gave no refresh token: add the scope 'Perform requests at any time (refresh_token, offline_access)' to the Connected App, then connect again." }));
      }
      await store.accounts.upsert({ ...config, auth: { ...auth, refreshToken: tokens.refreshToken } });
      await rememberInstanceUrl(store, config.name, tokens.instanceUrl);
      deps.orgs.forget(config.name);
      request.log.info({ account: config.name }, 'account connected through the web-server flow');
      return reply.redirect(accountsPage({ account: config.name, connected: '1' }));
    } catch (failure) {
      const message = failure instanceof CtiError ? failure.message : 'the token exchange failed; see the service log';
      if (!(failure instanceof CtiError)) request.log.error({ err: failure }, 'authorization code exchange failed');
      return reply.redirect(accountsPage({ account: config.name, oauthError: message }));
    }
  });
}
