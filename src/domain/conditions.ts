import type { InteractionEvent } from './interaction.ts';
import { resolveConditionField } from './model-paths.ts';
import { MAX_MATCH_INPUT_CHARS, unsafePatternReason } from './safe-regex.ts';
import type { Condition, Trigger } from './trigger.ts';

/**
 * Does a trigger apply to an event? Pure and total: a condition on a missing field is simply false
 * (`notEquals` and `exists: false` are then true), never an error.
 *
 * String comparisons ignore case (equals, notEquals, contains, startsWith, endsWith, in, and `matches`,
 * whose regex runs with the `i` flag): sources disagree on "ANSWERED" vs "answered" and "Inbound" vs
 * "inbound". Numbers and booleans compare by their text for equals/in. On a list field (`interaction.tags`)
 * equals, contains, startsWith, endsWith, matches and in hold when any element does. gt/gte/lt/lte compare
 * numbers when the condition's value is a number (a numeric string field counts), and instants when it is an
 * ISO date-time (so `interaction.startedAt gte "2026-01-01T00:00:00Z"` works across offsets).
 */

/** `voice.*`, `*.ended`, `*`, or an exact type. */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  const [channel, phase] = splitType(type);
  return patterns.some((pattern) => {
    if (pattern === '*') return true;
    const [wantedChannel, wantedPhase] = splitType(pattern);
    return (wantedChannel === '*' || wantedChannel === channel) && (wantedPhase === '*' || wantedPhase === phase);
  });
}

function splitType(type: string): [string, string] {
  const dot = type.indexOf('.');
  return dot < 0 ? [type, ''] : [type.slice(0, dot), type.slice(dot + 1)];
}

export function evaluateConditions(trigger: Pick<Trigger, 'match' | 'conditions'>, event: InteractionEvent): boolean {
  if (trigger.conditions.length === 0) return true;
  const holds = (condition: Condition) => evaluateCondition(condition, event);
  return trigger.match === 'any' ? trigger.conditions.some(holds) : trigger.conditions.every(holds);
}

export function evaluateCondition(condition: Condition, event: InteractionEvent): boolean {
  const field = resolveConditionField(condition.field);
  const actual = field.ok ? readPath(event, field.segments) : undefined;
  const present = !(actual === undefined || actual === null || actual === '' || (Array.isArray(actual) && actual.length === 0));
  switch (condition.op) {
    case 'exists':
      return condition.value === false ? !present : present;
    case 'notEquals':
      return !anyElement(actual, (v) => sameText(v, condition.value));
    case 'equals':
      return anyElement(actual, (v) => sameText(v, condition.value));
    case 'contains':
      // On a list, "contains" means "has this element"; on text, "has this substring".
      return Array.isArray(actual)
        ? actual.some((v) => sameText(v, condition.value))
        : textOf(actual)?.includes(lower(condition.value)) ?? false;
    case 'startsWith':
      return anyElement(actual, (v) => textOf(v)?.startsWith(lower(condition.value)) ?? false);
    case 'endsWith':
      return anyElement(actual, (v) => textOf(v)?.endsWith(lower(condition.value)) ?? false);
    case 'matches': {
      const regex = cachedPattern(String(condition.value));
      return regex !== null && anyElement(actual, (v) => {
        const text = scalarText(v);
        return text !== null && regex.test(text.slice(0, MAX_MATCH_INPUT_CHARS));
      });
    }
    case 'in': {
      const options = Array.isArray(condition.value) ? condition.value : [];
      return anyElement(actual, (v) => options.some((option) => sameText(v, option)));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const order = compare(actual, condition.value);
      if (order === null) return false;
      return condition.op === 'gt' ? order > 0 : condition.op === 'gte' ? order >= 0 : condition.op === 'lt' ? order < 0 : order <= 0;
    }
  }
}

/** Walk own properties only; lists also answer first, last, size and numeric indexes, text answers size. */
export function readPath(root: unknown, segments: readonly string[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (segment === 'first') current = current[0];
      else if (segment === 'last') current = current[current.length - 1];
      else if (segment === 'size') current = current.length;
      else current = /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    } else if (typeof current === 'string' && segment === 'size') {
      current = current.length;
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

function anyElement(actual: unknown, test: (value: unknown) => boolean): boolean {
  return Array.isArray(actual) ? actual.some(test) : test(actual);
}

function scalarText(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

function textOf(value: unknown): string | null {
  const text = scalarText(value);
  return text === null ? null : text.toLowerCase();
}

function lower(value: unknown): string {
  return String(value ?? '').toLowerCase();
}

function sameText(actual: unknown, wanted: unknown): boolean {
  const text = textOf(actual);
  return text !== null && text === lower(wanted);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Sign of actual − wanted, or null when they cannot be compared. */
function compare(actual: unknown, wanted: unknown): number | null {
  if (typeof wanted === 'number') {
    const number = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
    return Number.isFinite(number) ? Math.sign(number - wanted) : null;
  }
  if (typeof wanted === 'string' && ISO_INSTANT.test(wanted) && typeof actual === 'string' && ISO_INSTANT.test(actual)) {
    const [a, b] = [Date.parse(actual), Date.parse(wanted)];
    return Number.isNaN(a) || Number.isNaN(b) ? null : Math.sign(a - b);
  }
  return null;
}

const patterns = new Map<string, RegExp | null>();

/** Compiled pattern, or null for one that is unsafe (validation refuses those; a trigger built in code may not). */
function cachedPattern(pattern: string): RegExp | null {
  if (!patterns.has(pattern)) {
    if (patterns.size >= 1000) patterns.clear();
    patterns.set(pattern, unsafePatternReason(pattern) === null ? new RegExp(pattern, 'iu') : null);
  }
  return patterns.get(pattern) ?? null;
}
