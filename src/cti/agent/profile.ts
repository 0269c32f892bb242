import { z } from 'zod';
import type { InteractionEvent } from '../../domain/interaction.ts';

/**
 * Who an agent is, in the contact center's words (agent id, extension, email). Events name their agent
 * with any of these; an agent signs in with any of them too.
 */

export const agentInputSchema = z
  .object({
    id: z.string().trim().min(1).max(128).optional(),
    email: z.string().trim().toLowerCase().email('an email address such as marta.rossi@contactco.example').max(254).optional(),
    extension: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'the phone extension, letters and digits only (e.g. 201)').optional(),
    name: z.string().trim().min(1).max(255).optional(),
    /** The Salesforce account (ctibridge account name) this agent works in; needed only when there are several. */
    account: z.string().trim().min(1).max(64).optional(),
  })
  .refine((agent) => agent.id || agent.email || agent.extension, {
    message: 'give at least one of id, email or extension: that is how events name the agent',
    path: ['id'],
  });

export type AgentInput = z.infer<typeof agentInputSchema>;

export interface AgentProfile extends AgentInput {
  /** ctibridge's own key for the agent (stable, used to revoke the token). */
  key: string;
}

/** Does this event concern this agent? Any shared identifier is enough; emails compare case-insensitively. */
export function eventIsForAgent(agent: AgentProfile, event: InteractionEvent): boolean {
  const named = event.interaction.agent;
  if (!named) return false;
  if (agent.id && named.id && named.id === agent.id) return true;
  if (agent.extension && named.extension && named.extension === agent.extension) return true;
  if (agent.email && named.email && named.email.trim().toLowerCase() === agent.email) return true;
  return false;
}

/** Does a sign-in name (id, extension or email as typed) designate this agent? */
export function loginDesignates(agent: AgentProfile, login: string): boolean {
  const typed = login.trim();
  if (!typed) return false;
  return typed === agent.id || typed === agent.extension || typed.toLowerCase() === agent.email;
}

/** What the page and the API show of an agent (never its token hash). */
export function publicAgent(agent: AgentProfile): AgentProfile {
  return { key: agent.key, id: agent.id, email: agent.email, extension: agent.extension, name: agent.name, account: agent.account };
}
