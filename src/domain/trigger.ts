import { z } from 'zod';
import { accountSchema } from './account.ts';
import { CHANNELS, KNOWN_PHASES } from './interaction.ts';
import { checkTemplatePath, resolveConditionField } from './model-paths.ts';
import { unsafePatternReason } from './safe-regex.ts';
import { MAX_TEMPLATE_CHARS, templateStrings, templateVariables, type TemplateValue } from './templates.ts';
import { CtiError } from '../errors.ts';

/**
 * A trigger: which events (`on`, `conditions`) lead to which ordered actions. `validateTrigger` is the one
 * gate (admin API, CLI import, stored triggers on load): besides the shape it checks what a schema cannot —
 * condition fields exist, regexes are bounded, templates parse and read only real fields and EARLIER
 * actions — and every message names the trigger, the action or condition, and the field.
 */

export const CONDITION_OPS = [
  'equals', 'notEquals', 'contains', 'startsWith', 'endsWith', 'matches', 'in', 'gt', 'gte', 'lt', 'lte', 'exists',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export const CUSTOMER_OBJECTS = ['Contact', 'Lead', 'Account'] as const;
export const ACTION_TYPES = [
  'salesforce.findCustomer', 'salesforce.logActivity', 'salesforce.createCase',
  'salesforce.create', 'salesforce.update', 'salesforce.upsert', 'webhook',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

const ACTION_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const API_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const MAX_FIELDS = 200;

const scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);

const conditionSchema = z.strictObject({
  field: z.string().min(1, 'name a field, e.g. interaction.direction').max(200),
  op: z.enum(CONDITION_OPS, { error: `must be one of ${CONDITION_OPS.join(', ')}` }),
  value: z.union([scalar, z.array(z.union([z.string().max(1000), z.number()])).max(200)]).optional(),
});

const templateText = z.string().max(MAX_TEMPLATE_CHARS, `a template may have at most ${MAX_TEMPLATE_CHARS} characters`);

/** Salesforce field → template (or a literal number, boolean or null). */
const fieldMap = z
  .record(
    z.string().regex(API_NAME, 'a field API name such as Subject or Call_Reason__c'),
    z.union([templateText, z.number(), z.boolean(), z.null()], { error: 'a template string, a number, true/false or null' }),
  )
  .refine((map) => Object.keys(map).length <= MAX_FIELDS, `at most ${MAX_FIELDS} fields`);

const actionName = z.string().regex(ACTION_NAME, 'letters, digits and "_", starting with a letter (later actions refer to it as actions.<name>)');
const accountName = accountSchema.shape.name;
const objectName = z.string().regex(API_NAME, 'an sObject API name such as Opportunity or Call_Log__c');

const findCustomerSchema = z.strictObject({
  type: z.literal('salesforce.findCustomer'),
  name: actionName,
  account: accountName,
  by: z.enum(['phone', 'email']).default('phone'),
  objects: z
    .array(z.enum(CUSTOMER_OBJECTS, { error: `one of ${CUSTOMER_OBJECTS.join(', ')}` }))
    .min(1, `name at least one of ${CUSTOMER_OBJECTS.join(', ')}`)
    .refine((objects) => new Set(objects).size === objects.length, 'lists an object twice')
    .default([...CUSTOMER_OBJECTS]),
  onMany: z.enum(['mostRecent', 'preferContact', 'none']).default('mostRecent'),
  onNone: z.enum(['continue', 'createLead', 'createContact', 'stop']).default('continue'),
  /** Templates for the Lead or Contact created when onNone is createLead/createContact (over the defaults). */
  fields: fieldMap.optional(),
});

const logActivitySchema = z.strictObject({
  type: z.literal('salesforce.logActivity'),
  name: actionName,
  account: accountName,
  /** Task fields over the defaults of activity.ts (Subject, Status, CallType, …). */
  fields: fieldMap.default({}),
});

const createCaseSchema = z.strictObject({
  type: z.literal('salesforce.createCase'),
  name: actionName,
  account: accountName,
  fields: fieldMap.default({}),
});

const nonEmptyFields = fieldMap.refine((map) => Object.keys(map).length > 0, 'name at least one field to write');

const createSchema = z.strictObject({
  type: z.literal('salesforce.create'),
  name: actionName,
  account: accountName,
  object: objectName,
  fields: nonEmptyFields,
});

const updateSchema = z.strictObject({
  type: z.literal('salesforce.update'),
  name: actionName,
  account: accountName,
  object: objectName,
  /** Template for the record id, e.g. {{ actions.customer.id }}. */
  id: templateText.min(1, 'a template for the record id, e.g. {{ actions.customer.id }}'),
  fields: nonEmptyFields,
});

const upsertSchema = z.strictObject({
  type: z.literal('salesforce.upsert'),
  name: actionName,
  account: accountName,
  object: objectName,
  externalIdField: z.string().regex(API_NAME, 'the API name of an External ID field, e.g. Interaction_Id__c'),
  externalId: templateText.min(1, 'a template for the external id value, e.g. {{ interaction.id }}'),
  fields: nonEmptyFields,
});

const webhookSchema = z.strictObject({
  type: z.literal('webhook'),
  name: actionName,
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).max(2048),
  /** Signs the body: X-Ctibridge-Signature: sha256=<hex HMAC>. */
  secret: z.string().min(16, 'at least 16 characters').max(512).optional(),
  /** A template string, or a JSON object whose strings are templates; by default the event itself. */
  body: z.union([templateText, z.record(z.string(), z.json())], { error: 'a template string or a JSON object' }).optional(),
});

const ACTION_SCHEMAS = {
  'salesforce.findCustomer': findCustomerSchema,
  'salesforce.logActivity': logActivitySchema,
  'salesforce.createCase': createCaseSchema,
  'salesforce.create': createSchema,
  'salesforce.update': updateSchema,
  'salesforce.upsert': upsertSchema,
  webhook: webhookSchema,
} as const;

export const actionSchema = z.discriminatedUnion('type', Object.values(ACTION_SCHEMAS) as [
  typeof findCustomerSchema, typeof logActivitySchema, typeof createCaseSchema, typeof createSchema,
  typeof updateSchema, typeof upsertSchema, typeof webhookSchema,
]);

export const triggerSchema = z.strictObject({
  name: z.string().trim().min(1, 'give the trigger a name').max(120),
  description: z.string().max(2000).optional(),
  enabled: z.boolean().default(true),
  on: z.array(z.string().max(64)).min(1, 'list at least one event type, e.g. ["voice.ended"]').max(20),
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(conditionSchema).max(50).default([]),
  actions: z.array(actionSchema).min(1, 'add at least one action').max(20),
});

export type Trigger = z.infer<typeof triggerSchema>;
export type TriggerAction = z.infer<typeof actionSchema>;
export type Condition = z.infer<typeof conditionSchema>;

export interface TriggerProblem {
  /** Dotted path into the trigger, e.g. `actions.1.fields.WhoId`. */
  path: string;
  /** Names the trigger, the action (#n "name" (type)) or condition, and the field. */
  message: string;
}

export type TriggerValidation = { ok: true; trigger: Trigger } | { ok: false; errors: TriggerProblem[] };

type Path = Array<string | number>;

export function validateTrigger(input: unknown): TriggerValidation {
  const raw = isRecord(input) ? withoutEchoedId(input) : input;
  const describe = (path: Path, message: string): TriggerProblem => ({
    path: path.join('.'),
    message: `${subject(raw, path)}${fieldPart(raw, path)}${message}`,
  });
  if (!isRecord(raw)) return { ok: false, errors: [describe([], 'must be a JSON object with name, on and actions')] };

  const parsed = triggerSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => describe(issue.path as Path, explainIssue(issue, raw))) };
  }
  const problems = semanticProblems(parsed.data).map(({ path, message }) => describe(path, message));
  return problems.length ? { ok: false, errors: problems } : { ok: true, trigger: parsed.data };
}

/** Parse or throw a CtiError INVALID_TRIGGER listing every problem (for triggers written in code or files). */
export function parseTrigger(input: unknown): Trigger {
  const checked = validateTrigger(input);
  if (checked.ok) return checked.trigger;
  throw new CtiError('INVALID_TRIGGER', checked.errors.map((e) => e.message).join('; '), { errors: checked.errors });
}

/** The admin API echoes `id` next to the definition; it names the stored row, not part of the definition. */
function withoutEchoedId(input: Record<string, unknown>): Record<string, unknown> {
  if (!('id' in input)) return input;
  const { id: _id, ...rest } = input;
  return rest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function subject(raw: unknown, path: Path): string {
  const name = isRecord(raw) && typeof raw.name === 'string' && raw.name.trim() ? `trigger "${raw.name.trim()}"` : 'trigger (unnamed)';
  const [area, index] = path;
  if (typeof index !== 'number' || !isRecord(raw)) return name;
  const item = Array.isArray(raw[area]) ? (raw[area] as unknown[])[index] : undefined;
  if (area === 'actions') {
    const action = isRecord(item) ? item : {};
    const actionLabel = typeof action.name === 'string' ? ` "${action.name}"` : '';
    const typeLabel = typeof action.type === 'string' ? ` (${action.type})` : '';
    return `${name}, action #${index + 1}${actionLabel}${typeLabel}`;
  }
  if (area === 'conditions') {
    const condition = isRecord(item) ? item : {};
    const what = [condition.field, condition.op].filter((part) => typeof part === 'string').join(' ');
    return `${name}, condition #${index + 1}${what ? ` (${what})` : ''}`;
  }
  return name;
}

function fieldPart(raw: unknown, path: Path): string {
  const [area, index] = path;
  const rest = (area === 'actions' || area === 'conditions') && typeof index === 'number' ? path.slice(2) : path;
  if (rest.length === 0) return ': ';
  const written = rest.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
  return `: ${written}: `;
}

function explainIssue(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.endsWith('received undefined') ? `is required (${issue.expected})` : issue.message.replace(/^Invalid input: /, '');
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(issue.path as Path, raw);
      return `unknown ${issue.keys.length > 1 ? 'fields' : 'field'} ${issue.keys.map((k) => `"${k}"`).join(', ')}${allowed ? ` (allowed: ${allowed.join(', ')})` : ''}`;
    }
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator === 'type') return `must be one of ${ACTION_TYPES.join(', ')}`;
      return issue.message;
    case 'invalid_key':
      return `"${String(issue.path[issue.path.length - 1])}" is not a valid name: ${issue.issues.map((i) => i.message).join('; ')}`;
    case 'invalid_value':
      return `must be ${issue.values.length > 1 ? 'one of ' : ''}${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function allowedKeysAt(path: Path, raw: Record<string, unknown>): string[] | null {
  if (path.length === 0) return Object.keys(triggerSchema.shape);
  if (path.length === 2 && path[0] === 'conditions') return Object.keys(conditionSchema.shape);
  if (path.length === 2 && path[0] === 'actions' && Array.isArray(raw.actions)) {
    const action = raw.actions[path[1] as number];
    const type = isRecord(action) ? action.type : undefined;
    if (typeof type === 'string' && Object.hasOwn(ACTION_SCHEMAS, type)) return Object.keys(ACTION_SCHEMAS[type as ActionType].shape);
  }
  return null;
}

interface RawProblem {
  path: Path;
  message: string;
}

const EVENT_PATTERN = new RegExp(`^(\\*|(\\*|${CHANNELS.join('|')})\\.(\\*|${KNOWN_PHASES.join('|')}))$`);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function semanticProblems(trigger: Trigger): RawProblem[] {
  const problems: RawProblem[] = [];
  trigger.on.forEach((pattern, index) => {
    if (!EVENT_PATTERN.test(pattern)) {
      problems.push({
        path: ['on', index],
        message: `"${pattern}" is not an event type: write <channel>.<phase> with channel ${CHANNELS.join('|')} or *, and phase ${KNOWN_PHASES.join('|')} or * (e.g. voice.ended, voice.*, *.abandoned, *)`,
      });
    }
  });
  trigger.conditions.forEach((condition, index) => problems.push(...conditionProblems(condition).map((p) => ({ ...p, path: ['conditions', index, ...p.path] }))));

  const seen = new Map<string, number>();
  trigger.actions.forEach((action, index) => {
    const earlierIndex = seen.get(action.name);
    if (earlierIndex !== undefined) {
      problems.push({ path: ['actions', index, 'name'], message: `"${action.name}" is already the name of action #${earlierIndex + 1}; action names must be unique` });
    } else {
      seen.set(action.name, index);
    }
    const earlier = trigger.actions.slice(0, index).map((a) => a.name);
    const later = trigger.actions.slice(index + 1).map((a) => a.name);
    problems.push(...actionProblems(action, earlier, later).map((p) => ({ ...p, path: ['actions', index, ...p.path] })));
  });
  return problems;
}

function conditionProblems(condition: Condition): RawProblem[] {
  const problems: RawProblem[] = [];
  const field = resolveConditionField(condition.field);
  if (!field.ok) problems.push({ path: ['field'], message: field.reason });
  const { op, value } = condition;
  const valueProblem = (message: string) => problems.push({ path: ['value'], message });
  switch (op) {
    case 'exists':
      if (value !== undefined && typeof value !== 'boolean') valueProblem('must be true (the field is present) or false (it is absent), or left out');
      break;
    case 'equals':
    case 'notEquals':
      if (value === undefined || Array.isArray(value)) valueProblem(`${op} needs one text, number or boolean value${Array.isArray(value) ? ' (for a list of values use "in")' : ''}`);
      break;
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      if (typeof value !== 'string' && typeof value !== 'number') valueProblem(`${op} needs a text value`);
      else if (value === '') valueProblem(`${op} needs a non-empty text value`);
      break;
    case 'matches': {
      if (typeof value !== 'string' || value === '') {
        valueProblem('matches needs a regular expression as text, e.g. "^\\\\+39"');
        break;
      }
      const reason = unsafePatternReason(value);
      if (reason) valueProblem(reason);
      break;
    }
    case 'in':
      if (!Array.isArray(value) || value.length === 0) valueProblem('in needs a non-empty list of values, e.g. ["ABANDONED", "NOANSWER"]');
      break;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof value !== 'number' && !(typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)))) {
        valueProblem(`${op} needs a number or an ISO date-time such as "2026-01-01T00:00:00Z"`);
      }
      break;
  }
  return problems;
}

/** Template strings of an action, by their path inside it. */
function actionTemplates(action: TriggerAction): Array<{ path: Path; template: string }> {
  const found: Array<{ path: Path; template: string }> = [];
  const add = (base: Path, value: TemplateValue | undefined) => {
    if (value === undefined) return;
    for (const { path, template } of templateStrings(value)) found.push({ path: path ? [...base, ...path.split('.')] : base, template });
  };
  if ('fields' in action) add(['fields'], action.fields as TemplateValue | undefined);
  if (action.type === 'salesforce.update') add(['id'], action.id);
  if (action.type === 'salesforce.upsert') add(['externalId'], action.externalId);
  if (action.type === 'webhook') add(['body'], action.body as TemplateValue | undefined);
  return found;
}

function actionProblems(action: TriggerAction, earlier: string[], later: string[]): RawProblem[] {
  const problems: RawProblem[] = [];
  if (action.type === 'salesforce.findCustomer' && action.fields && action.onNone !== 'createLead' && action.onNone !== 'createContact') {
    problems.push({ path: ['fields'], message: `fields are written only to a Lead or Contact created when nothing matches: set onNone to createLead or createContact, or remove fields (onNone is "${action.onNone}")` });
  }
  for (const { path, template } of actionTemplates(action)) {
    let variables: Array<Array<string | number>>;
    try {
      variables = templateVariables(template);
    } catch (error) {
      problems.push({ path, message: (error as Error).message });
      continue;
    }
    const reported = new Set<string>();
    for (const variable of variables) {
      const message = variable[0] === 'actions' ? actionReference(variable, earlier, later) : checkTemplatePath(variable);
      if (message && !reported.has(message)) {
        reported.add(message);
        problems.push({ path, message });
      }
    }
  }
  return problems;
}

function actionReference(variable: Array<string | number>, earlier: string[], later: string[]): string | null {
  const name = variable[1];
  const earlierList = earlier.length ? `earlier: ${earlier.join(', ')}` : 'this is the first action, so none ran before it';
  if (name === undefined) return `template references actions without naming one; write actions.<name>.id (${earlierList})`;
  if (typeof name === 'string' && earlier.includes(name)) return null;
  const why = typeof name === 'string' && later.includes(name)
    ? `, which runs after this one (actions run in order; ${earlierList})`
    : `, which is not an earlier action (${earlierList})`;
  return `template references actions.${String(name)}${why}`;
}
