import { isLoopbackHost } from '../domain/account.ts';

/**
 * The adapter page loads Open CTI from the org that frames it. That origin arrives in the query string
 * (`sfdcIFrameOrigin`), so anyone could put any host there: only Salesforce's own domains (and loopback,
 * for local tests) may supply script to the page.
 */

export const OPEN_CTI_API_VERSION = '62.0';

const SALESFORCE_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:salesforce\.com|force\.com|salesforce-setup\.com)$/;

/** The validated origin (`https://host[:port]`), or null when it is not one Salesforce serves from. */
export function salesforceOrigin(raw: string | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (url.pathname !== '/' || url.search || url.hash) {
    // An origin has no path; Salesforce sends exactly `https://host`.
    if (raw.replace(/\/+$/, '') !== url.origin) return null;
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'https:' && SALESFORCE_HOST.test(host)) return url.origin;
  if ((url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(host)) return url.origin;
  return null;
}

export function openCtiScriptUrl(origin: string, apiVersion = OPEN_CTI_API_VERSION): string {
  return `${origin}/support/api/${apiVersion}/lightning/opencti_min.js`;
}
