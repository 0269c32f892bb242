/**
 * Regexes in trigger conditions come from operators, run on every event, and JavaScript's engine backtracks:
 * `(a+)+$` on a long run of "a" never ends. A pattern is accepted only when it is short and cannot backtrack
 * exponentially: no repeated group that itself repeats or alternates, no backreferences, no huge counted
 * repeats. The text it runs on is capped too, which bounds the polynomial cases (`a*a*a*b`).
 */

export const MAX_PATTERN_CHARS = 200;
/** Only the first this-many characters of a field are matched against a pattern. */
export const MAX_MATCH_INPUT_CHARS = 4096;
const MAX_REPEAT_COUNT = 100;

interface Group {
  /** Something inside repeats (`*`, `+`, `?`, `{n,m}`). */
  repeats: boolean;
  alternates: boolean;
}

/** A quantifier at `index`: its length and whether it can repeat more than once. */
function quantifierAt(pattern: string, index: number): { length: number; unbounded: boolean; tooLarge: boolean } | null {
  const char = pattern[index];
  if (char === '*' || char === '+') return { length: pattern[index + 1] === '?' ? 2 : 1, unbounded: true, tooLarge: false };
  if (char === '?') return { length: pattern[index + 1] === '?' ? 2 : 1, unbounded: false, tooLarge: false };
  if (char === '{') {
    const counted = /^\{(\d+)(,(\d*))?\}\??/.exec(pattern.slice(index));
    if (!counted) return null;
    const min = Number(counted[1]);
    const max = counted[2] === undefined ? min : counted[3] === '' ? Infinity : Number(counted[3]);
    return { length: counted[0].length, unbounded: max > 1, tooLarge: min > MAX_REPEAT_COUNT || (max !== Infinity && max > MAX_REPEAT_COUNT) };
  }
  return null;
}

/** Null when the pattern is safe to run, else the reason it is refused. */
export function unsafePatternReason(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_CHARS) return `the pattern is ${pattern.length} characters; at most ${MAX_PATTERN_CHARS} are allowed`;
  try {
    new RegExp(pattern, 'iu');
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  const stack: Group[] = [{ repeats: false, alternates: false }];
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index];
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'backreferences (\\1, \\k<name>) are not allowed in conditions';
      index += 2;
      index = skipQuantifier(pattern, index, stack);
      if (index < 0) return tooLargeMessage();
      continue;
    }
    if (char === '[') {
      index = endOfClass(pattern, index);
      index = skipQuantifier(pattern, index, stack);
      if (index < 0) return tooLargeMessage();
      continue;
    }
    if (char === '(') {
      stack.push({ repeats: false, alternates: false });
      index += pattern[index + 1] === '?' ? groupPrefixLength(pattern, index) : 1;
      continue;
    }
    if (char === '|') {
      stack[stack.length - 1].alternates = true;
      index += 1;
      continue;
    }
    if (char === ')') {
      const group = stack.pop() as Group;
      const quantifier = quantifierAt(pattern, index + 1);
      if (quantifier?.tooLarge) return tooLargeMessage();
      if (quantifier?.unbounded && (group.repeats || group.alternates)) {
        return `the repeated group ending at character ${index + 1} contains ${group.repeats ? 'a repetition' : 'alternatives'}; such nested repetition can take forever on some input (write it without the outer repeat, e.g. "a+" instead of "(a+)+")`;
      }
      const parent = stack[stack.length - 1];
      parent.repeats ||= group.repeats || quantifier !== null;
      index += 1 + (quantifier?.length ?? 0);
      continue;
    }
    index += 1;
    index = skipQuantifier(pattern, index, stack);
    if (index < 0) return tooLargeMessage();
  }
  return null;
}

function tooLargeMessage(): string {
  return `counted repeats above {${MAX_REPEAT_COUNT}} are not allowed`;
}

/** After an atom: note a quantifier on the current group and step over it; -1 when its count is too large. */
function skipQuantifier(pattern: string, index: number, stack: Group[]): number {
  const quantifier = quantifierAt(pattern, index);
  if (!quantifier) return index;
  if (quantifier.tooLarge) return -1;
  stack[stack.length - 1].repeats = true;
  return index + quantifier.length;
}

function endOfClass(pattern: string, start: number): number {
  let index = start + 1;
  if (pattern[index] === '^') index += 1;
  if (pattern[index] === ']') index += 1;
  while (index < pattern.length && pattern[index] !== ']') index += pattern[index] === '\\' ? 2 : 1;
  return index + 1;
}

/** `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`. */
function groupPrefixLength(pattern: string, start: number): number {
  const rest = pattern.slice(start);
  const named = /^\(\?<[A-Za-z_$][\w$]*>/.exec(rest);
  if (named) return named[0].length;
  return rest.startsWith('(?<=') || rest.startsWith('(?<!') ? 4 : 3;
}
