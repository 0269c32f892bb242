import type { Store, Job } from '../../../store/types.ts';
import type { AccountConfig } from '../../../domain/account.ts';
import { isLoopbackHost } from '../../../domain/account.ts';

/** Settings key: each account's instance URL as Salesforce last reported it (token answer), for record links. */
export const INSTANCE_URLS_KEY = 'accounts.instanceUrls';

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

export function recordLink(baseUrl: string, object: string, id: string): string | null {
  if (!RECORD_ID.test(id) || !OBJECT_NAME.test(object)) return null;
  return `${baseUrl.replace(/\/+$/, '')}/lightning/r/${object}/${id}/view`;
}

/**
 * Where an account's records open: the instance URL Salesforce gave at the last login, else the login URL when
 * it is the org's own (My Domain, or a local emulator); login.salesforce.com itself shows no records.
 */
export function orgBaseUrl(config: AccountConfig, instanceUrls: Record<string, string>): string | null {
  if (instanceUrls[config.name]) return instanceUrls[config.name];
  const url = new URL(config.loginUrl);
  if (isLoopbackHost(url.hostname) || url.hostname.endsWith('.my.salesforce.com')) return config.loginUrl;
  return null;
}

export async function rememberInstanceUrl(store: Store, account: string, instanceUrl: string): Promise<void> {
  const urls = (await store.settings.get<Record<string, string>>(INSTANCE_URLS_KEY)) ?? {};
  if (urls[account] === instanceUrl) return;
  await store.settings.set(INSTANCE_URLS_KEY, { ...urls, [account]: instanceUrl });
}

export interface RecordRef {
  object: string;
  id: string;
  link: string | null;
}

/** The Salesforce record a finished job wrote or found, with its link into the org when known. */
export function jobRecord(job: Pick<Job, 'result' | 'account'>, baseUrls: Map<string, string | null>): RecordRef | null {
  const id = job.result?.id;
  const object = job.result?.object;
  if (typeof id !== 'string' || typeof object !== 'string' || !RECORD_ID.test(id)) return null;
  const base = job.account ? baseUrls.get(job.account) : null;
  return { object, id, link: base ? recordLink(base, object, id) : null };
}

/** Base URL per account name, read once per request. */
export async function baseUrlsByAccount(store: Store): Promise<Map<string, string | null>> {
  const urls = (await store.settings.get<Record<string, string>>(INSTANCE_URLS_KEY)) ?? {};
  return new Map((await store.accounts.list()).map((a) => [a.config.name, orgBaseUrl(a.config, urls)]));
}
