import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/types.ts';
import { CtiError } from '../../errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

/** Admin users of the UI, kept in the settings table (one small list; argon2id hashes, never passwords). */
export const ADMIN_USERS_KEY = 'admin.users';

interface StoredAdmin {
  username: string;
  passwordHash: string;
  createdAt: string;
}

export interface AdminUser {
  username: string;
  createdAt: string;
}

const USERNAME = /^[a-zA-Z0-9._@-]{1,64}$/;

/** The user that `CTIBRIDGE_ADMIN_PASSWORD` sets the password of. */
export const ENV_ADMIN_USERNAME = 'admin';

async function load(store: Store): Promise<StoredAdmin[]> {
  return (await store.settings.get<StoredAdmin[]>(ADMIN_USERS_KEY)) ?? [];
}

export async function listAdmins(store: Store): Promise<AdminUser[]> {
  return (await load(store)).map(({ username, createdAt }) => ({ username, createdAt }));
}

export async function hasAdmins(store: Store): Promise<boolean> {
  return (await load(store)).length > 0;
}

function checkNew(username: unknown, password: unknown): asserts username is string {
  if (typeof username !== 'string' || !USERNAME.test(username)) {
    throw new CtiError('INVALID_ADMIN', 'username: 1 to 64 letters, digits, ".", "_", "@" or "-"');
  }
  const problem = passwordProblem(password);
  if (problem) throw new CtiError('INVALID_ADMIN', problem);
}

export async function createAdmin(store: Store, username: unknown, password: unknown): Promise<AdminUser> {
  checkNew(username, password);
  const admins = await load(store);
  if (admins.some((a) => a.username.toLowerCase() === username.toLowerCase())) {
    throw new CtiError('ADMIN_EXISTS', `username: "${username}" already exists; pick another name or change that user's password`);
  }
  const created = { username, passwordHash: await hashPassword(password as string), createdAt: new Date().toISOString() };
  await store.settings.set(ADMIN_USERS_KEY, [...admins, created]);
  return { username, createdAt: created.createdAt };
}

export async function setAdminPassword(store: Store, username: string, password: unknown): Promise<void> {
  checkNew(username, password);
  const admins = await load(store);
  const admin = admins.find((a) => a.username === username);
  if (!admin) throw new CtiError('NOT_FOUND', `no admin user "${username}"`);
  admin.passwordHash = await hashPassword(password as string);
  await store.settings.set(ADMIN_USERS_KEY, admins);
}

export async function removeAdmin(store: Store, username: string): Promise<boolean> {
  const admins = await load(store);
  const rest = admins.filter((a) => a.username !== username);
  if (rest.length === admins.length) return false;
  if (rest.length === 0) throw new CtiError('LAST_ADMIN', 'this is the only admin user: create another one before removing it');
  await store.settings.set(ADMIN_USERS_KEY, rest);
  return true;
}

/** The user's name when the password is right, else null (same answer for unknown users and wrong passwords). */
export async function verifyAdminLogin(store: Store, username: unknown, password: unknown): Promise<string | null> {
  if (typeof username !== 'string' || typeof password !== 'string') return null;
  const admin = (await load(store)).find((a) => a.username.toLowerCase() === username.toLowerCase());
  if (!admin) {
    // Spend the same time as a real check so response time does not reveal which usernames exist.
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await verifyPassword(await dummyHash, password);
    return null;
  }
  return (await verifyPassword(admin.passwordHash, password)) ? admin.username : null;
}

let dummyHash: Promise<string> | undefined;

/**
 * `CTIBRIDGE_ADMIN_PASSWORD` is authoritative for user "admin": created when missing, its password reset when
 * it differs, so an operator who lost the password sets the variable and restarts.
 */
export async function applyEnvAdminPassword(store: Store, password: string): Promise<void> {
  const admins = await load(store);
  const existing = admins.find((a) => a.username === ENV_ADMIN_USERNAME);
  if (!existing) {
    await createAdmin(store, ENV_ADMIN_USERNAME, password);
    return;
  }
  if (!(await verifyPassword(existing.passwordHash, password))) await setAdminPassword(store, ENV_ADMIN_USERNAME, password);
}
