import { Liquid, type Template } from 'liquidjs';
import { CtiError } from '../errors.ts';
import type { InteractionEvent, Interaction } from './interaction.ts';
import { toE164 } from './phone.ts';

/**
 * Liquid-like templates (`{{ interaction.customer.phone | e164 }}`) for field values, rendered synchronously
 * so planning and dry runs stay synchronous. No code runs from a template: only a few tags and filters
 * exist, nothing reads files, and only own properties of the context are visible (so
 * `{{ interaction.constructor }}` renders nothing).
 *
 * Missing values: a variable that is absent renders as "". `renderFieldMap` turns a field whose template
 * renders to "" into null, so a create omits it and an update clears it — the same thing Salesforce does
 * with an empty string. Non-string values in a field map (numbers, booleans, null) pass through untouched.
 */

export interface TemplateContext {
  event: InteractionEvent;
  interaction: Interaction;
  /** Outputs of earlier actions by name, e.g. actions.customer.id. */
  actions: Record<string, Record<string, unknown>>;
  /** ISO timestamp of the render. */
  now: string;
  /** Region for the `e164` filter's national numbers (CTIBRIDGE_DEFAULT_REGION); not visible to templates. */
  defaultRegion?: string;
}

export type TemplateValue = string | number | boolean | null | TemplateValue[] | { [key: string]: TemplateValue };
export type TemplateMap = Record<string, TemplateValue>;

export const MAX_TEMPLATE_CHARS = 20_000;
/** Longest output of one template: bounds what a loop or a long transcript can produce. */
export const MAX_OUTPUT_CHARS = 131_072;

/** Tags that only branch, loop over the context, or name a value; include/render/layout and friends are gone. */
const ALLOWED_TAGS = new Set(['if', 'unless', 'case', 'for', 'break', 'continue', 'assign', 'capture', 'comment', 'raw']);
const KEPT_FILTERS = ['default', 'date', 'truncate', 'upcase', 'downcase', 'strip', 'append', 'prepend', 'replace', 'json'];

/**
 * The `e164` filter's default region during the current render. Rendering is synchronous, so no other
 * render can interleave between setting and clearing it.
 */
let renderRegion: string | undefined;

function createEngine(): Liquid {
  const engine = new Liquid({
    templates: {}, // resolve partials from an empty in-memory map: a template never reaches the file system
    relativeReference: false,
    dynamicPartials: false,
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    preserveTimezones: true,
    timezoneOffset: 0,
    locale: 'en-US',
    dateFormat: '%Y-%m-%d %H:%M',
    parseLimit: MAX_TEMPLATE_CHARS,
    memoryLimit: 4 * MAX_OUTPUT_CHARS,
    renderLimit: 1000,
  });
  for (const tag of Object.keys(engine.tags)) if (!ALLOWED_TAGS.has(tag)) delete engine.tags[tag];
  for (const filter of Object.keys(engine.filters)) if (!KEPT_FILTERS.includes(filter)) delete engine.filters[filter];
  engine.registerFilter('e164', (value: unknown, region?: unknown) =>
    typeof value === 'string' && value ? toE164(value, typeof region === 'string' ? region : renderRegion) : value,
  );
  return engine;
}

const engine = createEngine();

export const TEMPLATE_FILTERS = [...KEPT_FILTERS, 'e164'];

const MAX_CACHED = 2000;
const parsed = new Map<string, Template[]>();

/** Parse (cached per template text). Throws CtiError TEMPLATE_INVALID with liquidjs's reason. */
export function parseTemplate(template: string): Template[] {
  const cached = parsed.get(template);
  if (cached) return cached;
  if (template.length > MAX_TEMPLATE_CHARS) {
    throw new CtiError('TEMPLATE_INVALID', `template is ${template.length} characters; at most ${MAX_TEMPLATE_CHARS} are allowed`);
  }
  let result: Template[];
  try {
    result = engine.parse(template);
  } catch (error) {
    throw new CtiError('TEMPLATE_INVALID', explainParseError(error as Error));
  }
  if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value as string);
  parsed.set(template, result);
  return result;
}

function explainParseError(error: Error): string {
  const message = error.message.split(', line:')[0] ?? error.message;
  const tag = /tag "?([\w-]+)"? not found/i.exec(message);
  if (tag) return `the tag {% ${tag[1]} %} is not allowed (allowed: ${[...ALLOWED_TAGS].join(', ')})`;
  const filter = /undefined filter:?\s*"?([\w-]+)/i.exec(message);
  if (filter) return `the filter "${filter[1]}" is not available (available: ${TEMPLATE_FILTERS.join(', ')})`;
  return `cannot parse the template: ${message}`;
}

/** Every variable path a template reads from its context, e.g. [["interaction","customer","phone"]]. */
export function templateVariables(template: string): Array<Array<string | number>> {
  const segments = engine.globalVariableSegmentsSync(parseTemplate(template));
  // Dynamic parts (`a[b]`) come back as nested variables; keep the static prefix only.
  return segments.map((path) => {
    const stat: Array<string | number> = [];
    for (const part of path) {
      if (typeof part !== 'string' && typeof part !== 'number') break;
      stat.push(part);
    }
    return stat;
  });
}

/** Render one template. Throws CtiError TEMPLATE_INVALID / TEMPLATE_FAILED with a reason. */
export function renderTemplate(template: string, context: TemplateContext): string {
  const templates = parseTemplate(template);
  const { defaultRegion, ...scope } = context;
  let output: unknown;
  renderRegion = defaultRegion;
  try {
    output = engine.renderSync(templates, scope);
  } catch (error) {
    throw new CtiError('TEMPLATE_FAILED', `cannot render the template: ${(error as Error).message.split(', line:')[0]}`);
  } finally {
    renderRegion = undefined;
  }
  const text = String(output ?? '');
  if (text.length > MAX_OUTPUT_CHARS) {
    throw new CtiError('TEMPLATE_FAILED', `the template rendered ${text.length} characters; at most ${MAX_OUTPUT_CHARS} are allowed (use | truncate)`);
  }
  return text;
}

function renderValue(value: TemplateValue, context: TemplateContext): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{') && !value.includes('{%')) return value === '' ? null : value;
    const text = renderTemplate(value, context);
    return text === '' ? null : text;
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, context));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, context)]));
  }
  return value;
}

/** Render every template in a field map (nested maps and lists too); see the module comment for empties. */
export function renderFieldMap(map: TemplateMap, context: TemplateContext): Record<string, unknown> {
  return renderValue(map, context) as Record<string, unknown>;
}

/** All template strings in a value with their dotted path (`Subject`, `customer.name`, `items.0`). */
export function templateStrings(value: TemplateValue, path: string[] = []): Array<{ path: string; template: string }> {
  if (typeof value === 'string') return [{ path: path.join('.'), template: value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => templateStrings(item, [...path, String(index)]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => templateStrings(item, [...path, key]));
  }
  return [];
}
