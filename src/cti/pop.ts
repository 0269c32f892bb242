/**
 * Where an agent's browser goes for an interaction when there is no softphone: the record ctibridge matched,
 * or Salesforce's global search for the number (the classic search URL; Lightning Experience redirects it to
 * its own search page).
 */

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

export function recordUrl(orgUrl: string, object: string, recordId: string): string | null {
  if (!RECORD_ID.test(recordId) || !OBJECT_NAME.test(object)) return null;
  return `${orgUrl.replace(/\/+$/, '')}/lightning/r/${object}/${recordId}/view`;
}

export function searchUrl(orgUrl: string, term: string): string {
  return `${orgUrl.replace(/\/+$/, '')}/_ui/search/ui/UnifiedSearchResults?searchType=2&str=${encodeURIComponent(term)}`;
}

/** Standard key prefixes of the objects a caller can be, for ids that arrive without their object name. */
const KEY_PREFIXES: Record<string, string> = { '003': 'Contact', '00Q': 'Lead', '001': 'Account', '500': 'Case', '00T': 'Task', '005': 'User' };

export function objectOfId(recordId: string): string | null {
  return KEY_PREFIXES[recordId.slice(0, 3)] ?? null;
}
