import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CtiError } from '../../errors.ts';
import type { Store } from '../../store/types.ts';
import { agentInputSchema, loginDesignates, publicAgent, type AgentInput, type AgentProfile } from './profile.ts';

/**
 * Agents allowed to use the softphone, each with its own token. An admin creates the agent and hands the
 * token over once (it is shown only then); ctibridge keeps only its SHA-256, so a leaked settings table
 * signs nobody in. The token is the bearer credential of every softphone request: stateless, so any
 * ctibridge instance behind a load balancer accepts it.
 */

const SETTINGS_KEY = 'cti.agents';
const TOKEN_PREFIX = 'cta_';

interface StoredAgent extends AgentProfile {
  tokenHash: string;
  createdAt: string;
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export class AgentDirectory {
  constructor(private readonly settings: Store['settings']) {}

  private async load(): Promise<StoredAgent[]> {
    return (await this.settings.get<StoredAgent[]>(SETTINGS_KEY)) ?? [];
  }

  async list(): Promise<AgentProfile[]> {
    return (await this.load()).map(publicAgent);
  }

  /** Creates the agent, or replaces its token when the same id/email/extension exists. */
  async issue(input: unknown): Promise<{ agent: AgentProfile; token: string }> {
    const parsed = agentInputSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.') || 'agent';
      throw new CtiError('CTI_INVALID_AGENT', `${field}: ${issue.message}`, { field });
    }
    const fields: AgentInput = parsed.data;
    const agents = await this.load();
    const same = (a: StoredAgent) => (fields.id && a.id === fields.id) || (fields.email && a.email === fields.email) || (fields.extension && a.extension === fields.extension);
    const existing = agents.find(same);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const agent: StoredAgent = {
      ...fields,
      key: existing?.key ?? randomBytes(6).toString('hex'),
      tokenHash: hashToken(token).toString('hex'),
      createdAt: new Date().toISOString(),
    };
    await this.settings.set(SETTINGS_KEY, [...agents.filter((a) => a !== existing), agent]);
    return { agent: publicAgent(agent), token };
  }

  async revoke(key: string): Promise<boolean> {
    const agents = await this.load();
    const kept = agents.filter((a) => a.key !== key);
    if (kept.length === agents.length) return false;
    await this.settings.set(SETTINGS_KEY, kept);
    return true;
  }

  /** The agent whose token this is (every stored hash is compared, in constant time each). */
  async byToken(token: string | undefined): Promise<AgentProfile | null> {
    if (!token || !token.startsWith(TOKEN_PREFIX)) return null;
    const presented = hashToken(token);
    let found: StoredAgent | null = null;
    for (const agent of await this.load()) {
      if (timingSafeEqual(presented, Buffer.from(agent.tokenHash, 'hex'))) found = agent;
    }
    return found ? publicAgent(found) : null;
  }

  /** Sign-in: the token must belong to the agent the login names, so a mixed-up token is caught. */
  async signIn(login: string, token: string): Promise<AgentProfile | null> {
    const agent = await this.byToken(token);
    return agent && loginDesignates(agent, login) ? agent : null;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
