import { hash, verify } from '@node-rs/argon2';

/** Shortest admin password accepted: long enough that argon2's cost is not the only defence. */
export const MIN_PASSWORD_CHARS = 10;

/** argon2id (the library's default algorithm) with its default memory and time costs; PHC string out. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed login, not a crash.
    return false;
  }
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== 'string' || password.length === 0) return 'password: is required';
  if (password.length < MIN_PASSWORD_CHARS) return `password: use at least ${MIN_PASSWORD_CHARS} characters`;
  if (password.length > 512) return 'password: use at most 512 characters';
  return null;
}
