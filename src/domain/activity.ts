import { eventPhase, type InteractionEvent, type Interaction } from './interaction.ts';

/**
 * Default records for the Salesforce actions, built from the event alone. An action's `fields` templates
 * are laid over these, so a trigger only names what it wants different. Lengths follow the standard
 * fields (Subject 255, Description 32,000, SuppliedName 80, …) so a long transcript never fails a write.
 * Owner, WhoId/WhatId and ContactId/AccountId depend on Salesforce lookups and are added by the pipeline.
 */

export const MAX_DESCRIPTION_CHARS = 32_000;

/** Salesforce field name → value, ready for the describe check. */
export type FieldValues = Record<string, string | number>;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Who the customer is, for people: name, else phone as received, else email. */
function customerLabel(interaction: Interaction): string {
  const customer = interaction.customer;
  return customer?.name?.trim() || customer?.phone?.trim() || customer?.email?.trim() || 'unknown customer';
}

const CHAT_NOUNS: Record<string, string> = {
  chat: 'Chat', sms: 'SMS', whatsapp: 'WhatsApp', openchannel: 'Conversation', fax: 'Fax', video: 'Video call',
};

function subjectOf(event: InteractionEvent): string {
  const interaction = event.interaction;
  const who = customerLabel(interaction);
  const phase = eventPhase(event);
  if (interaction.channel === 'email') {
    return interaction.subject?.trim() ? `Email: ${interaction.subject.trim()}` : `Email ${interaction.direction === 'outbound' ? 'to' : 'from'} ${who}`;
  }
  if (interaction.channel === 'voice') {
    if (phase === 'abandoned') return `Abandoned call from ${who}`;
    if (phase === 'missed') return `Missed call from ${who}`;
    if (interaction.direction === 'outbound') return `Outbound call to ${who}`;
    if (interaction.direction === 'internal') return `Internal call with ${who}`;
    return `Inbound call from ${who}`;
  }
  return `${CHAT_NOUNS[interaction.channel] ?? 'Conversation'} with ${who}`;
}

function agentLabel(agent: Interaction['agent']): string | null {
  if (!agent) return null;
  const name = agent.name ?? agent.email ?? agent.id;
  if (!name) return agent.extension ? `extension ${agent.extension}` : null;
  const email = agent.name && agent.email ? ` <${agent.email}>` : '';
  return `${name}${email}${agent.extension ? ` (extension ${agent.extension})` : ''}`;
}

/** The readable summary both Task and Case carry. */
export function describeInteraction(event: InteractionEvent): string {
  const i = event.interaction;
  const lines: string[] = [];
  const line = (label: string, value: string | number | null | undefined) => {
    if (value !== undefined && value !== null && value !== '') lines.push(`${label}: ${value}`);
  };
  line('Customer', [i.customer?.name, i.customer?.phone, i.customer?.email].filter(Boolean).join(', '));
  line('Direction', i.direction);
  line('Queue', i.queue);
  line('Agent', agentLabel(i.agent));
  line('Disposition', i.disposition);
  line('Started', i.startedAt);
  line('Ended', i.endedAt);
  const times = [
    i.waitSec !== undefined ? `wait ${Math.round(i.waitSec)} s` : null,
    i.talkSec !== undefined ? `talk ${Math.round(i.talkSec)} s` : null,
    i.durationSec !== undefined ? `total ${Math.round(i.durationSec)} s` : null,
  ].filter(Boolean);
  line('Time', times.join(', '));
  line('Recording', i.recordingUrl);
  line('Tags', i.tags?.join(', '));
  line('Interaction', i.id);
  const text = i.transcript ?? i.body;
  if (text?.trim()) lines.push('', i.transcript ? 'Transcript:' : 'Message:', text.trim());
  return clip(lines.join('\n'), MAX_DESCRIPTION_CHARS);
}

/** YYYY-MM-DD as written in the timestamp: the contact center's own calendar day, not the server's. */
function dayOf(timestamp: string): string {
  return timestamp.slice(0, 10);
}

const CALL_TYPES = { inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal' } as const;

export function defaultTaskFields(event: InteractionEvent): FieldValues {
  const i = event.interaction;
  const task: FieldValues = {
    Subject: clip(subjectOf(event), 255),
    Status: 'Completed',
    Priority: 'Normal',
    ActivityDate: dayOf(i.endedAt ?? event.occurredAt),
    Description: describeInteraction(event),
    TaskSubtype: i.channel === 'voice' ? 'Call' : i.channel === 'email' ? 'Email' : 'Task',
    // The interaction id is also the marker that finds a Task whose create outcome was lost (reconcile).
    CallObject: clip(i.id, 255),
  };
  if (i.direction) task.CallType = CALL_TYPES[i.direction];
  const seconds = i.talkSec ?? i.durationSec;
  if (seconds !== undefined) task.CallDurationInSeconds = Math.round(seconds);
  if (i.disposition) task.CallDisposition = clip(i.disposition, 255);
  return task;
}

const CASE_ORIGINS: Record<string, string> = { voice: 'Phone', fax: 'Phone', video: 'Phone', email: 'Email' };

/**
 * Origin uses the standard picklist (Phone, Email, Web): chat-like channels map to Web, since "Chat" exists
 * only in orgs that added it; a trigger can set Origin itself. Calls that never reached an agent (abandoned,
 * missed, or dispositions saying so) are High priority: someone is waiting for a call back.
 */
export function defaultCaseFields(event: InteractionEvent): FieldValues {
  const i = event.interaction;
  const record: FieldValues = {
    Subject: clip(subjectOf(event), 255),
    Description: describeInteraction(event),
    Origin: CASE_ORIGINS[i.channel] ?? 'Web',
    Status: 'New',
    Priority: isUnanswered(event) ? 'High' : 'Medium',
  };
  if (i.customer?.phone) record.SuppliedPhone = clip(i.customer.phone, 40);
  if (i.customer?.email) record.SuppliedEmail = clip(i.customer.email, 80);
  if (i.customer?.name) record.SuppliedName = clip(i.customer.name, 80);
  return record;
}

const UNANSWERED_DISPOSITIONS = new Set(['ABANDONED', 'NOANSWER', 'NO ANSWER', 'MISSED', 'BUSY', 'FAILED']);

/** An abandoned or missed call: by its phase, or by the disposition XCALLY and Asterisk write. */
export function isUnanswered(event: InteractionEvent): boolean {
  const phase = eventPhase(event);
  return phase === 'abandoned' || phase === 'missed' || UNANSWERED_DISPOSITIONS.has((event.interaction.disposition ?? '').trim().toUpperCase());
}

function splitName(event: InteractionEvent): { FirstName?: string; LastName: string } {
  const name = event.interaction.customer?.name?.trim().replace(/\s+/g, ' ');
  if (name) {
    const space = name.lastIndexOf(' ');
    if (space > 0) return { FirstName: clip(name.slice(0, space), 40), LastName: clip(name.slice(space + 1), 80) };
    return { LastName: clip(name, 80) };
  }
  // LastName is required; the number (or address) is what an agent would recognise until someone renames it.
  return { LastName: clip(event.interaction.customer?.phone?.trim() || event.interaction.customer?.email?.trim() || 'Unknown caller', 80) };
}

function contactDetails(event: InteractionEvent): FieldValues {
  const customer = event.interaction.customer;
  const details: FieldValues = {};
  if (customer?.phone) details.Phone = clip(customer.phone, 40);
  if (customer?.email) details.Email = clip(customer.email, 80);
  return details;
}

function leadSource(event: InteractionEvent): string {
  return ['voice', 'fax', 'video'].includes(event.interaction.channel) ? 'Phone Inquiry' : 'Web';
}

export function defaultLeadFields(event: InteractionEvent): FieldValues {
  return { ...splitName(event), Company: 'Unknown', ...contactDetails(event), LeadSource: leadSource(event) };
}

export function defaultContactFields(event: InteractionEvent): FieldValues {
  return { ...splitName(event), ...contactDetails(event), LeadSource: leadSource(event) };
}
