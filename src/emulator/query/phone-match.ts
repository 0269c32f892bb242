/**
 * Salesforce's loose phone matching for SOSL `IN PHONE FIELDS`, as the emulator models it.
 *
 * Both numbers are reduced to digits, after dropping a written trunk "(0)" and an international access code
 * ("+" , "00", or "011" before a full number), which marks the number as international. Then they match when:
 *  1. their digit strings are equal; or
 *  2. they are not both international, one digit string ends with the other (or with the other minus one
 *     leading trunk "0"), that tail has at least 7 digits, and what the longer number has in front of the tail
 *     is a country calling code ("39", "1", "44", ...) or, when the longer number is national, a trunk "0".
 * So "+39 347 555 0101" is found by "3475550101", "+393475550101" and "00393475550101", and "(415) 555-0123" by
 * "4155550123" and "+14155550123"; but "5550101" does not find "+39 347 555 0101" (the leftover "39347" is no
 * calling code), nor do two international numbers with different digits find each other.
 */

import { getCountries, getCountryCallingCode } from 'libphonenumber-js';

const MIN_SUBSCRIBER_DIGITS = 7;
const CALLING_CODES = new Set<string>(getCountries().map((country) => getCountryCallingCode(country)));

export interface PhoneDigits {
  digits: string;
  international: boolean;
}

export function parsePhone(text: string): PhoneDigits {
  const withoutTrunk = text.replace(/\(0\)/g, '');
  let digits = withoutTrunk.replace(/\D/g, '');
  let international = /^\s*\+/.test(withoutTrunk);
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  } else if (!international && digits.startsWith('011') && digits.length >= 13) {
    digits = digits.slice(3);
    international = true;
  }
  return { digits, international };
}

export function phoneNumbersMatch(a: string, b: string): boolean {
  return parsedPhonesMatch(parsePhone(a), parsePhone(b));
}

export function parsedPhonesMatch(first: PhoneDigits, second: PhoneDigits): boolean {
  if (first.digits === '' || second.digits === '') return false;
  if (first.digits === second.digits) return true;
  if (first.international && second.international) return false;
  const [longer, shorter] = first.digits.length > second.digits.length ? [first, second] : [second, first];
  if (shorter.international) return false;
  for (const tail of new Set([shorter.digits, shorter.digits.replace(/^0/, '')])) {
    if (tail.length < MIN_SUBSCRIBER_DIGITS || tail.length >= longer.digits.length) continue;
    if (!longer.digits.endsWith(tail)) continue;
    const prefix = longer.digits.slice(0, longer.digits.length - tail.length);
    if (CALLING_CODES.has(prefix) || (prefix === '0' && !longer.international)) return true;
  }
  return false;
}

/**
 * Numbers that match always share this key (their last 7 digits, or all of them when shorter), so a search
 * for many numbers only compares each stored number with the few terms in its bucket.
 */
export function phoneBucketKey(phone: PhoneDigits): string {
  return phone.digits.slice(-MIN_SUBSCRIBER_DIGITS);
}

/**
 * The digit strings a stored number can be searched by with a wildcard term ("347555*"): all its digits, and
 * its national part without a leading calling code or trunk "0".
 */
export function phoneDigitForms(text: string): string[] {
  const { digits } = parsePhone(text);
  const forms = new Set([digits, digits.replace(/^0/, '')]);
  for (let length = 1; length <= 3; length++) {
    const prefix = digits.slice(0, length);
    if (CALLING_CODES.has(prefix) && digits.length - length >= MIN_SUBSCRIBER_DIGITS) forms.add(digits.slice(length));
  }
  forms.delete('');
  return [...forms];
}
