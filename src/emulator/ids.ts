/** Salesforce record ids: 15 case-sensitive characters plus a 3-character case-safe suffix. */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/** Builds an 18-character id from a 3-character key prefix and a sequence number. */
export function makeId(keyPrefix: string, sequence: number, pod = '5g0'): string {
  let body = '';
  let n = sequence;
  for (let i = 0; i < 9; i++) {
    body = BASE62.charAt(n % 62) + body;
    n = Math.floor(n / 62);
  }
  const id15 = (keyPrefix + pod + body).slice(0, 15);
  return id15 + caseSafeSuffix(id15);
}

/** Returns the 18-character form of a well-formed 15- or 18-character id, or undefined when malformed. */
export function normaliseId(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  const expected = id15 + caseSafeSuffix(id15);
  if (value.length === 18 && value.toUpperCase() !== expected.toUpperCase()) return undefined;
  return expected;
}
