import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../../store/types.ts';

/**
 * UI sessions, kept in the settings table under the hash of their id so that several service processes on
 * one PostgreSQL database share them and a stolen database dump holds no usable cookie. Logout deletes.
 */

export const SESSION_COOKIE = 'ctibridge_session';
export const SESSION_TTL_SEC = 12 * 60 * 60;

export interface Session {
  username: string;
  /** Sent back by the UI in X-CSRF-Token on every state-changing request. */
  csrfToken: string;
  expiresAt: string;
}

const sessionKey = (id: string) => `admin.session.${createHash('sha256').update(id).digest('hex')}`;

export async function createSession(store: Store, username: string, now = Date.now()): Promise<{ id: string; session: Session }> {
  const id = randomBytes(32).toString('base64url');
  const session: Session = { username, csrfToken: randomBytes(24).toString('base64url'), expiresAt: new Date(now + SESSION_TTL_SEC * 1000).toISOString() };
  await store.settings.set(sessionKey(id), session);
  return { id, session };
}

export async function readSession(store: Store, id: string | undefined, now = Date.now()): Promise<Session | null> {
  if (!id || id.length > 128) return null;
  const session = await store.settings.get<Session>(sessionKey(id));
  if (!session) return null;
  if (Date.parse(session.expiresAt) <= now) {
    await store.settings.set(sessionKey(id), null);
    return null;
  }
  return session;
}

export async function destroySession(store: Store, id: string | undefined): Promise<void> {
  if (id && id.length <= 128) await store.settings.set(sessionKey(id), null);
}

export function sameSecret(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}
