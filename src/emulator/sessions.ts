import { randomBytes } from 'node:crypto';

export interface Session {
  accessToken: string;
  userId: string;
  clientId: string;
  scope: string;
  issuedAt: number;
  lastUsedAt: number;
  refreshToken?: string;
}

export interface RefreshGrant {
  refreshToken: string;
  userId: string;
  clientId: string;
  scope: string;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  userId: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
}

const CODE_TTL_MS = 15 * 60_000;

function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Access tokens (idle timeout), refresh tokens and single-use authorization codes of one org. */
export class Sessions {
  private readonly access = new Map<string, Session>();
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly codes = new Map<string, AuthorizationCode>();
  /** Login pages in progress: a ticket proves the password was checked before the Allow step. */
  private readonly loginTickets = new Map<string, { userId: string; expiresAt: number }>();

  constructor(private readonly orgId: string, private readonly ttlMs: number) {}

  /** `refresh`: true mints a refresh token; a string links the session to the refresh token it came from. */
  issue(userId: string, clientId: string, scope: string, refresh: boolean | string, now = Date.now()): Session {
    const session: Session = {
      accessToken: `${this.orgId.slice(0, 15)}!${secret(48)}`,
      userId, clientId, scope, issuedAt: now, lastUsedAt: now,
    };
    if (typeof refresh === 'string') session.refreshToken = refresh;
    if (refresh === true) {
      session.refreshToken = `5Aep861${secret(60)}`;
      this.refresh.set(session.refreshToken, { refreshToken: session.refreshToken, userId, clientId, scope });
    }
    this.access.set(session.accessToken, session);
    return session;
  }

  /** The session for a token, extending its idle timeout; undefined when unknown, revoked or expired. */
  use(accessToken: string, now = Date.now()): Session | undefined {
    const session = this.access.get(accessToken);
    if (!session) return undefined;
    if (now - session.lastUsedAt > this.ttlMs) {
      this.access.delete(accessToken);
      return undefined;
    }
    session.lastUsedAt = now;
    return session;
  }

  refreshGrant(token: string): RefreshGrant | undefined {
    return this.refresh.get(token);
  }

  /** Revokes an access token, or a refresh token together with the access tokens it produced. */
  revoke(token: string): boolean {
    if (this.access.delete(token)) return true;
    const grant = this.refresh.get(token);
    if (!grant) return false;
    this.refresh.delete(token);
    for (const [key, session] of this.access) if (session.refreshToken === token) this.access.delete(key);
    return true;
  }

  expireAll(): void {
    this.access.clear();
  }

  createCode(details: Omit<AuthorizationCode, 'code' | 'expiresAt'>, now = Date.now()): string {
    const code = `aPrx${secret(32)}`;
    this.codes.set(code, { ...details, code, expiresAt: now + CODE_TTL_MS });
    return code;
  }

  /** Takes a code out for good: a second use fails even if the first one failed. */
  consumeCode(code: string, now = Date.now()): AuthorizationCode | undefined {
    const found = this.codes.get(code);
    this.codes.delete(code);
    return found && found.expiresAt > now ? found : undefined;
  }

  createLoginTicket(userId: string, now = Date.now()): string {
    const ticket = secret(24);
    this.loginTickets.set(ticket, { userId, expiresAt: now + CODE_TTL_MS });
    return ticket;
  }

  consumeLoginTicket(ticket: string, now = Date.now()): string | undefined {
    const found = this.loginTickets.get(ticket);
    this.loginTickets.delete(ticket);
    return found && found.expiresAt > now ? found.userId : undefined;
  }
}
