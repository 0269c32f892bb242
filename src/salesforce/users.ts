/**
 * Salesforce Users by email, cached with a TTL (misses too): the agents of a busy queue are asked for once.
 */

export interface SalesforceUser {
  Id: string;
  Username: string;
  Email: string | null;
  Name: string | null;
}

export interface UserQueryApi {
  query<T = Record<string, unknown>>(soql: string): Promise<T[]>;
}

/** A SOQL string literal: backslash and quote escaped, as Salesforce documents. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** Several active users may share an email (sandboxes, integration users): the one whose username is it wins. */
export function pickUser(users: SalesforceUser[], email: string): SalesforceUser | null {
  const wanted = email.toLowerCase();
  return users.find((u) => u.Username.toLowerCase() === wanted) ?? users.find((u) => u.Email?.toLowerCase() === wanted) ?? null;
}

export class UserDirectory {
  private readonly cache = new Map<string, { user: SalesforceUser | null; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<SalesforceUser | null>>();

  constructor(
    private readonly api: UserQueryApi,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The active user with this email, or null. */
  async findByEmail(email: string): Promise<SalesforceUser | null> {
    const key = email.trim().toLowerCase();
    if (!key) return null;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.user;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const lookup = this.api
      .query<SalesforceUser>(`SELECT Id, Username, Email, Name FROM User WHERE IsActive = true AND Email = ${soqlString(key)} ORDER BY Username LIMIT 10`)
      .then((users) => {
        const user = pickUser(users, key);
        this.cache.set(key, { user, expiresAt: this.now() + this.ttlMs });
        return user;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, lookup);
    return lookup;
  }

  /** Forget one answer (a user was just activated) or all. */
  invalidate(email?: string): void {
    if (email) this.cache.delete(email.trim().toLowerCase());
    else this.cache.clear();
  }
}
