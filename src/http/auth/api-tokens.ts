import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../../store/types.ts';
import { CtiError } from '../../errors.ts';

/**
 * API tokens for scripts: shown once when created, stored as a SHA-256 hash (they are long random strings,
 * so a fast hash is enough), revocable one by one. The service's own admin token keeps working beside them.
 */

export const API_TOKENS_KEY = 'admin.apiTokens';
const PREFIX = 'ctb_';

interface StoredToken {
  id: string;
  name: string;
  hash: string;
  createdAt: string;
  createdBy: string;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  createdBy: string;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

async function load(store: Store): Promise<StoredToken[]> {
  return (await store.settings.get<StoredToken[]>(API_TOKENS_KEY)) ?? [];
}

export async function listApiTokens(store: Store): Promise<ApiTokenInfo[]> {
  return (await load(store)).map(({ id, name, createdAt, createdBy }) => ({ id, name, createdAt, createdBy }));
}

export async function createApiToken(store: Store, name: unknown, createdBy: string): Promise<ApiTokenInfo & { token: string }> {
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 80) {
    throw new CtiError('INVALID_TOKEN', 'name: say what the token is for (1 to 80 characters), e.g. "nightly export"');
  }
  const token = PREFIX + randomBytes(30).toString('base64url');
  const record: StoredToken = { id: randomBytes(6).toString('hex'), name: name.trim(), hash: digest(token), createdAt: new Date().toISOString(), createdBy };
  await store.settings.set(API_TOKENS_KEY, [...(await load(store)), record]);
  return { id: record.id, name: record.name, createdAt: record.createdAt, createdBy, token };
}

export async function revokeApiToken(store: Store, id: string): Promise<boolean> {
  const tokens = await load(store);
  const rest = tokens.filter((t) => t.id !== id);
  if (rest.length === tokens.length) return false;
  await store.settings.set(API_TOKENS_KEY, rest);
  return true;
}

/** The token's record when it is a live API token, else null. */
export async function findApiToken(store: Store, token: string): Promise<ApiTokenInfo | null> {
  if (!token.startsWith(PREFIX)) return null;
  const wanted = digest(token);
  const found = (await load(store)).find((t) => t.hash === wanted);
  return found ? { id: found.id, name: found.name, createdAt: found.createdAt, createdBy: found.createdBy } : null;
}
