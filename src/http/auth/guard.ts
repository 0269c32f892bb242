import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../store/types.ts';
import { verifyBearer } from '../../sources/webhook.ts';
import { parseCookies } from './cookies.ts';
import { crossSiteReason, isStateChanging, requestOrigin } from './cross-site.ts';
import { findApiToken } from './api-tokens.ts';
import { readSession, sameSecret, SESSION_COOKIE, type Session } from './sessions.ts';

export interface GuardOptions {
  store: Store;
  adminToken: string;
  publicUrl?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The UI session that authenticated the request, when it was not a bearer token. */
    adminSession?: Session & { id: string };
    /** Who made the request: an admin username, `token:<name>`, or `admin-token`. */
    adminActor?: string;
  }
}

/** Origins a browser may legitimately send from: where this request arrived and the configured public URL. */
export function ownOrigins(request: FastifyRequest, publicUrl?: string): string[] {
  const origins: string[] = [];
  const here = requestOrigin(request.headers, Boolean((request.raw.socket as { encrypted?: boolean }).encrypted));
  if (here) origins.push(here);
  if (publicUrl) origins.push(new URL(publicUrl).origin);
  return origins;
}

/** TLS in front (a proxy saying https) or an https public URL: cookies must be Secure. */
export function behindTls(request: FastifyRequest, publicUrl?: string): boolean {
  const proto = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0].trim();
  return first === 'https' || Boolean((request.raw.socket as { encrypted?: boolean }).encrypted) || Boolean(publicUrl?.startsWith('https://'));
}

/**
 * Decide whether a request to the admin API may proceed, in this order: refuse cross-site and form posts (403,
 * before anything else, so a forged request learns nothing), then a bearer token (the service's admin token
 * or an API token), then the UI session cookie with its CSRF token for anything that changes state; else 401.
 * Returns true when the request may go on; otherwise the reply has been sent.
 */
export async function guardAdminRequest(request: FastifyRequest, reply: FastifyReply, options: GuardOptions): Promise<boolean> {
  const reason = crossSiteReason({ method: request.method, headers: request.headers, ownOrigins: ownOrigins(request, options.publicUrl) });
  if (reason) {
    await reply.code(403).send({ error: 'CROSS_SITE_REFUSED', message: `refused: ${reason}. Use the admin UI, or send JSON with an Authorization header from a script.` });
    return false;
  }
  if (request.isAdmin) return true;

  const authorization = request.headers.authorization;
  if (authorization) {
    const bearer = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (bearer && verifyBearer(authorization, [options.adminToken])) {
      request.isAdmin = true;
      request.adminActor = 'admin-token';
      return true;
    }
    const token = bearer ? await findApiToken(options.store, bearer) : null;
    if (token) {
      request.isAdmin = true;
      request.adminActor = `token:${token.name}`;
      return true;
    }
    await reply.code(401).send({ error: 'UNAUTHORIZED', message: 'the bearer token is not an admin or API token of this service (revoked, or mistyped)' });
    return false;
  }

  const sessionId = parseCookies(request.headers.cookie)[SESSION_COOKIE];
  const session = await readSession(options.store, sessionId);
  if (!session || !sessionId) {
    await reply.code(401).send({ error: 'UNAUTHORIZED', message: 'send "Authorization: Bearer <admin or API token>" or log in to the admin UI' });
    return false;
  }
  if (isStateChanging(request.method)) {
    const presented = request.headers['x-csrf-token'];
    if (!sameSecret(Array.isArray(presented) ? presented[0] : presented, session.csrfToken)) {
      await reply.code(403).send({ error: 'CSRF_TOKEN_INVALID', message: 'missing or wrong X-CSRF-Token header: reload the admin UI and try again' });
      return false;
    }
  }
  request.isAdmin = true;
  request.adminSession = { ...session, id: sessionId };
  request.adminActor = session.username;
  return true;
}
