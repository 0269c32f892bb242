import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpDeps } from '../server.ts';
import { verifyBearer } from '../../sources/webhook.ts';
import { CtiError } from '../../errors.ts';
import { applyEnvAdminPassword, createAdmin, hasAdmins, verifyAdminLogin } from './admins.ts';
import { parseCookies, serializeCookie } from './cookies.ts';
import { crossSiteReason } from './cross-site.ts';
import { behindTls, guardAdminRequest, ownOrigins } from './guard.ts';
import { createSession, destroySession, readSession, sameSecret, SESSION_COOKIE, SESSION_TTL_SEC } from './sessions.ts';

/**
 * Admin authentication for the whole service: a root-level hook guards every `/api/` route, whichever plugin
 * registered it (admin API, CTI admin routes), and sets `request.isAdmin`. Also the UI's sign-in: `/auth/state` (who am I, is setup needed), `/auth/setup` (first admin user, proven with the
 * service's admin token), `/auth/login`, `/auth/logout`. JSON only; cross-site posts are refused like the API's.
 */
export async function adminAuthRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const { store } = deps;
  const envPassword = process.env.CTIBRIDGE_ADMIN_PASSWORD;
  if (envPassword) {
    try {
      await applyEnvAdminPassword(store, envPassword);
    } catch (error) {
      throw new CtiError('CONFIG_INVALID', `CTIBRIDGE_ADMIN_PASSWORD: ${(error as Error).message.replace(/^password: /, '')}`);
    }
  }

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    await guardAdminRequest(request, reply, { store, adminToken: deps.tokens.admin, publicUrl: deps.config.publicUrl });
  });

  const refuseCrossSite = async (request: FastifyRequest, reply: FastifyReply) => {
    const reason = crossSiteReason({ method: request.method, headers: request.headers, ownOrigins: ownOrigins(request, deps.config.publicUrl) });
    if (reason) return reply.code(403).send({ error: 'CROSS_SITE_REFUSED', message: `refused: ${reason}` });
  };
  const startSession = async (request: FastifyRequest, reply: FastifyReply, username: string) => {
    const { id, session } = await createSession(store, username);
    reply.header('set-cookie', serializeCookie(SESSION_COOKIE, id, { secure: behindTls(request, deps.config.publicUrl), sameSite: 'Lax', maxAgeSec: SESSION_TTL_SEC }));
    return { username, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  };

  app.get('/auth/state', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const session = await readSession(store, parseCookies(request.headers.cookie)[SESSION_COOKIE]);
    return {
      setupNeeded: !(await hasAdmins(store)),
      user: session ? { username: session.username, csrfToken: session.csrfToken, expiresAt: session.expiresAt } : null,
    };
  });

  app.post<{ Body: { username?: unknown; password?: unknown; adminToken?: unknown } }>('/auth/setup', { preHandler: refuseCrossSite }, async (request, reply) => {
    if (await hasAdmins(store)) return reply.code(409).send({ error: 'ALREADY_SET_UP', message: 'an admin user exists: log in instead' });
    const token = request.body?.adminToken;
    if (typeof token !== 'string' || !verifyBearer(`Bearer ${token}`, [deps.tokens.admin])) {
      return reply.code(403).send({ error: 'SETUP_TOKEN_WRONG', message: 'adminToken: paste the service admin token (CTIBRIDGE_ADMIN_TOKEN, or "admin" in tokens.json in the data directory)' });
    }
    try {
      const admin = await createAdmin(store, request.body?.username, request.body?.password);
      return reply.code(201).send(await startSession(request, reply, admin.username));
    } catch (error) {
      if (error instanceof CtiError) return reply.code(400).send({ error: error.code, message: error.message });
      throw error;
    }
  });

  app.post<{ Body: { username?: unknown; password?: unknown } }>('/auth/login', { preHandler: refuseCrossSite }, async (request, reply) => {
    const username = await verifyAdminLogin(store, request.body?.username, request.body?.password);
    if (!username) return reply.code(401).send({ error: 'LOGIN_FAILED', message: 'wrong username or password' });
    request.log.info({ username }, 'admin logged in');
    return startSession(request, reply, username);
  });

  app.post('/auth/logout', { preHandler: refuseCrossSite }, async (request, reply) => {
    const id = parseCookies(request.headers.cookie)[SESSION_COOKIE];
    const session = await readSession(store, id);
    if (session) {
      const presented = request.headers['x-csrf-token'];
      if (!sameSecret(Array.isArray(presented) ? presented[0] : presented, session.csrfToken)) {
        return reply.code(403).send({ error: 'CSRF_TOKEN_INVALID', message: 'missing or wrong X-CSRF-Token header' });
      }
      await destroySession(store, id);
    }
    reply.header('set-cookie', serializeCookie(SESSION_COOKIE, '', { secure: behindTls(request, deps.config.publicUrl), sameSite: 'Lax', maxAgeSec: 0 }));
    return { loggedOut: true };
  });
}

// Not encapsulated (what fastify-plugin does): the hook above must reach routes of sibling plugins.
Object.assign(adminAuthRoutes, { [Symbol.for('skip-override')]: true });
