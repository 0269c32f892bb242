import { z } from 'zod';
import { interactionSchema, interactionEventSchema } from './interaction.ts';

/**
 * The shape of an interaction event as a tree of names, read from its zod schema, so triggers can be checked
 * at save time: a condition on `interaction.custmer.phone` or a template reading `{{ event.ocuredAt }}` is
 * refused with the nearest real path instead of silently never matching.
 */

type ModelNode = 'value' | 'list' | 'free' | { [key: string]: ModelNode };

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function nodeOf(schema: z.ZodType): ModelNode {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    return Object.fromEntries(Object.entries(inner.shape as Record<string, z.ZodType>).map(([key, value]) => [key, nodeOf(value)]));
  }
  if (inner instanceof z.ZodArray) return 'list';
  if (inner instanceof z.ZodRecord) return 'free';
  return 'value';
}

const interactionNode = nodeOf(interactionSchema);
const eventNode = nodeOf(interactionEventSchema);

/** Names Liquid gives every string and list. */
const LIST_PROPERTIES = new Set(['first', 'last', 'size']);

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function nearest(wanted: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(wanted.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(wanted.length / 3)) ? best : null;
}

/**
 * Check a path below a node of the model, `shown` being how the node is written (`interaction`, `event`, or
 * nothing for a condition's bare `type`); returns null when it exists, else why not with a hint.
 * `interaction.variables.*` is free: sources put anything there.
 */
function checkBelow(start: ModelNode, shown: string[], segments: Array<string | number>): string | null {
  let node = start;
  const walked = [...shown];
  const name = () => walked.join('.') || 'an event';
  for (const [index, segment] of segments.entries()) {
    const written = [...walked, String(segment)].join('.');
    if (node === 'free') return null;
    if (node === 'list') {
      const rest = segments.slice(index + 1);
      if (typeof segment !== 'number' && !LIST_PROPERTIES.has(String(segment))) return `${name()} is a list: use ${name()}.first, .last, .size or [0]`;
      return rest.length === 0 ? null : `${written} is a single value and has no "${rest[0]}"`;
    }
    if (node === 'value') {
      return segment === 'size' && index === segments.length - 1 ? null : `${name()} is a single value and has no "${segment}"`;
    }
    const child: ModelNode | undefined = Object.hasOwn(node, String(segment)) ? node[String(segment)] : undefined;
    if (child === undefined) {
      const known = Object.keys(node);
      const guess = nearest(String(segment), known);
      const suggestion = guess ? ` (did you mean ${[...walked, guess].join('.')}?)` : '';
      return `${written} is not part of an interaction event${suggestion}; ${name()} has: ${known.join(', ')}`;
    }
    node = child;
    walked.push(String(segment));
  }
  return null;
}

export const TEMPLATE_ROOTS = ['interaction', 'event', 'actions', 'now'] as const;

/**
 * Check a template variable path other than `actions.*` (which the trigger validator checks against the
 * action order). Returns null when fine, else the reason with a hint.
 */
export function checkTemplatePath(path: Array<string | number>): string | null {
  const [root, ...rest] = path;
  if (root === 'interaction') return checkBelow(interactionNode, ['interaction'], rest);
  if (root === 'event') return checkBelow(eventNode, ['event'], rest);
  if (root === 'now') return rest.length === 0 ? null : 'now is a timestamp and has no fields (use {{ now | date: "%Y-%m-%d" }})';
  if (root === 'actions') return null;
  const guess = nearest(String(root), [...TEMPLATE_ROOTS]);
  return `unknown variable "${String(root)}"${guess ? ` (did you mean ${guess}?)` : ''}; templates can read interaction.*, event.*, actions.<earlier action>.* and now`;
}

/**
 * Condition fields: `interaction.…`, `event.…`, or the event's own `type`, `id`, `occurredAt`. Returns the
 * path as segments below the event, or the reason it is not a field.
 */
export function resolveConditionField(field: string): { ok: true; segments: string[] } | { ok: false; reason: string } {
  const parts = field.split('.');
  if (parts.some((part) => part === '')) return { ok: false, reason: `"${field}" is not a field path (use dots between names, e.g. interaction.customer.phone)` };
  const [root, ...rest] = parts;
  const segments = root === 'event' ? rest : parts;
  if (segments.length === 0) return { ok: false, reason: '"event" alone is not a field; name one, e.g. event.type' };
  const problem = checkBelow(eventNode, root === 'event' ? ['event'] : [], segments);
  return problem ? { ok: false, reason: problem } : { ok: true, segments };
}
