import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Phone numbers are kept as received (for display) and normalised to E.164 (for matching). A number that
 * cannot be made E.164 still yields its digits, so a loose match remains possible.
 */

export interface NormalizedPhone {
  /** As received. */
  raw: string;
  /** `+<country code><national number>`, or null when the number is not a possible phone number. */
  e164: string | null;
  /** Every digit of the number as written, without its extension. */
  digits: string;
  /** The national significant number (no trunk prefix), when parsed. */
  national?: string;
  /** The extension (`ext. 45`, `x45`, `;ext=45`), when written. */
  extension?: string;
  /** ISO region the number belongs to, when known. */
  region?: string;
}

const MAX_PHONE_CHARS = 64;

function regionOrUndefined(region: string | undefined): CountryCode | undefined {
  const upper = region?.trim().toUpperCase();
  return upper && isSupportedCountry(upper) ? upper : undefined;
}

/** Where an extension starts in a written number, so its digits are not mixed into the number's. */
const EXTENSION_START = /\s*(?:;\s*ext=|(?:ext\.?|extension|x|#)\s*)\d+\s*$/i;

export function normalizePhone(raw: string, defaultRegion?: string): NormalizedPhone {
  const text = raw.slice(0, MAX_PHONE_CHARS).trim();
  const withoutExtension = text.replace(EXTENSION_START, '');
  const digits = withoutExtension.replace(/\D/g, '');
  // "00" is the international access code in most of the world but not in every region's metadata
  // (the US dials 011), so "0039 …" is read as "+39 …" whatever the default region.
  const number = /^00[1-9]/.test(withoutExtension) ? `+${withoutExtension.slice(2)}` : withoutExtension;
  const region = regionOrUndefined(defaultRegion);
  const parsed = parsePhoneNumberFromString(`${number}${text.slice(withoutExtension.length)}`, region ? { defaultCountry: region } : undefined);
  if (!parsed || !parsed.isPossible()) return { raw, e164: null, digits };
  return {
    raw,
    e164: parsed.number,
    digits,
    national: parsed.nationalNumber,
    ...(parsed.ext ? { extension: parsed.ext } : {}),
    ...(parsed.country ? { region: parsed.country } : {}),
  };
}

/**
 * The terms one SOSL `FIND … IN PHONE FIELDS` needs to find a number however it was typed into Salesforce:
 * the E.164 form, the national significant number, and the national form with its trunk prefix (e.g. UK
 * "07700900123"), since Salesforce matches on the digits it indexed.
 */
export function phoneSearchVariants(e164: string): string[] {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return [e164];
  const nationalDialled = parsed.formatNational().replace(/\D/g, '');
  return [...new Set([parsed.number, parsed.nationalNumber as string, nationalDialled])];
}

/** Two written numbers are the same line: equal E.164 forms, or (unparseable) equal digits of useful length. */
export function samePhone(a: string, b: string, defaultRegion?: string): boolean {
  const first = normalizePhone(a, defaultRegion);
  const second = normalizePhone(b, defaultRegion);
  if (first.e164 && second.e164) return first.e164 === second.e164;
  return first.digits.length >= 4 && first.digits === second.digits;
}

/** E.164 of a number, or the number as written when it cannot be normalised (the `e164` template filter). */
export function toE164(raw: string, defaultRegion?: string): string {
  return normalizePhone(raw, defaultRegion).e164 ?? raw;
}
