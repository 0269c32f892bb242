import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HttpDeps } from '../../server.ts';
import type { Store } from '../../../store/types.ts';
import { buildAuthorizeUrl } from '../../../salesforce/auth/index.ts';
import { CtiError } from '../../../errors.ts';
import { requestOrigin } from '../../auth/cross-site.ts';
import { notFound, sendError } from './respond.ts';

/** A started web-server login, kept server side (settings table, so any process can finish it) until the callback. */
export interface PendingConnect {
  account: string;
  codeVerifier: string;
  redirectUri: string;
  expiresAt: string;
  /** Hash of the UI session that started it: only that browser may finish it. Null when a script started it. */
  sessionHash: string | null;
}

/** Salesforce's login page and approval take a person a few minutes at most. */
const PENDING_TTL_MS = 15 * 60_000;

const pendingKey = (state: string) => `oauth.pending.${createHash('sha256').update(state).digest('hex')}`;
export const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex');

export async function takePendingConnect(store: Store, state: string): Promise<PendingConnect | null> {
  if (!state || state.length > 256) return null;
  const pending = await store.settings.get<PendingConnect>(pendingKey(state));
  if (!pending) return null;
  // Single use: a replayed callback finds nothing.
  await store.settings.set(pendingKey(state), null);
  return Date.parse(pending.expiresAt) > Date.now() ? pending : null;
}

/** Where Salesforce must send the browser back: the public URL when configured, else where this request came in. */
export function callbackUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  const base = publicUrl ? publicUrl.replace(/\/+$/, '') : (requestOrigin(request.headers, false) ?? 'http://localhost');
  return `${base}/oauth/callback`;
}

export async function connectRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const { store } = deps;
  app.post<{ Params: { name: string } }>('/api/accounts/:name/connect', async (request, reply) => {
    const stored = await store.accounts.get(request.params.name);
    if (!stored) return notFound(reply, `no account named "${request.params.name}"`);
    const { config } = stored;
    if (config.auth.flow !== 'webServer') {
      return sendError(reply, 400, 'WRONG_FLOW', `auth.flow: account "${config.name}" uses the ${config.auth.flow} flow; choose "webServer" (Connect with Salesforce) and save first`);
    }
    const redirectUri = callbackUrl(request, deps.config.publicUrl);
    try {
      const started = buildAuthorizeUrl({ loginUrl: config.loginUrl, clientId: config.auth.clientId, redirectUri, prompt: 'login consent' });
      const pending: PendingConnect = {
        account: config.name,
        codeVerifier: started.codeVerifier,
        redirectUri,
        expiresAt: new Date(Date.now() + PENDING_TTL_MS).toISOString(),
        sessionHash: request.adminSession ? hashSessionId(request.adminSession.id) : null,
      };
      await store.settings.set(pendingKey(started.state), pending);
      return { authorizeUrl: started.url, redirectUri, expiresAt: pending.expiresAt };
    } catch (error) {
      if (error instanceof CtiError) return sendError(reply, 400, error.code, error.message);
      throw error;
    }
  });
}
