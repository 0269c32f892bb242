import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../server.ts';
import { normaliseAgentEmail, ownerOverrides } from './owner-overrides.ts';
import { notFound, sendError } from './respond.ts';

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** How far back the page looks for agents: the newest events are enough to list who is working. */
const RECENT_EVENTS = 2000;

interface SalesforceUser {
  id: string;
  name: string;
  email: string | null;
  username: string;
}

export interface AgentRow {
  email: string;
  name: string | null;
  lastSeen: string;
  /** The active User whose Email or Username is the agent's email (what the worker finds by itself). */
  autoUserId: string | null;
  overrideUserId: string | null;
  /** Who will own the agent's records: the override, else the automatic match, else the account's fallback owner. */
  effectiveUserId: string | null;
}

/** Agents seen in events (newest first) joined with the org's users and the manual overrides. Pure. */
export function agentRows(
  seen: Array<{ email: string; name: string | null; at: string }>,
  users: SalesforceUser[],
  overrides: Record<string, string>,
): AgentRow[] {
  const rows = new Map<string, AgentRow>();
  const candidates = [...seen, ...Object.keys(overrides).map((email) => ({ email, name: null, at: '' }))];
  for (const agent of candidates) {
    const email = normaliseAgentEmail(agent.email);
    if (rows.has(email)) continue;
    const auto = users.find((u) => u.username.toLowerCase() === email) ?? users.find((u) => u.email?.toLowerCase() === email);
    const override = overrides[email] ?? null;
    rows.set(email, { email, name: agent.name, lastSeen: agent.at, autoUserId: auto?.id ?? null, overrideUserId: override, effectiveUserId: override ?? auto?.id ?? null });
  }
  return [...rows.values()];
}

export async function agentRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const { store, orgs } = deps;
  const overrides = ownerOverrides(store);

  app.get<{ Querystring: { account?: string } }>('/api/agents', async (request, reply) => {
    const accounts = await store.accounts.list();
    const accountName = request.query.account ?? accounts[0]?.config.name;
    let users: SalesforceUser[] = [];
    let usersError: string | null = null;
    if (accountName) {
      const org = await orgs.get(accountName);
      if (!org) return notFound(reply, `no account named "${accountName}"`);
      try {
        const rows = await org.api.query<{ Id: string; Name: string; Email: string | null; Username: string }>(
          'SELECT Id, Name, Email, Username FROM User WHERE IsActive = true ORDER BY Name LIMIT 2000',
        );
        users = rows.map((r) => ({ id: r.Id, name: r.Name, email: r.Email, username: r.Username }));
      } catch (error) {
        usersError = (error as Error).message;
      }
    }
    const events = await store.events.list({ limit: RECENT_EVENTS });
    const seen = events
      .filter((e) => e.event.interaction.agent?.email)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .map((e) => ({ email: e.event.interaction.agent!.email!, name: e.event.interaction.agent?.name ?? null, at: e.receivedAt }));
    return { account: accountName ?? null, usersError, users, agents: agentRows(seen, users, await overrides.refresh()) };
  });

  app.put<{ Params: { email: string }; Body: { userId?: unknown } }>('/api/agents/:email/override', async (request, reply) => {
    const email = normaliseAgentEmail(request.params.email);
    if (!EMAIL.test(email)) return sendError(reply, 400, 'INVALID_OVERRIDE', 'email: the agent\'s email address as the contact center sends it');
    const userId = request.body?.userId;
    if (typeof userId !== 'string' || !SALESFORCE_ID.test(userId)) return sendError(reply, 400, 'INVALID_OVERRIDE', 'userId: a 15 or 18 character Salesforce User id (005…)');
    return { email, userId, overrides: await overrides.set(email, userId) };
  });
  app.delete<{ Params: { email: string } }>('/api/agents/:email/override', async (request) => {
    const email = normaliseAgentEmail(request.params.email);
    return { email, overrides: await overrides.set(email, null) };
  });
}
