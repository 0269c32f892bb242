import { readFileSync } from 'node:fs';
import { DEFAULT_SEED_PRIVATE_KEY_PATH } from '../../src/emulator/index.ts';
import type { AccountConfig, AuthConfig } from '../../src/domain/account.ts';

export const CLIENT_ID = 'emulator-client-id';
export const CLIENT_SECRET = 'emulator-client-secret';
export const PASSWORD = 'emulator-password';
export const SECURITY_TOKEN = 'EMULATORTOKEN';
export const PRIVATE_KEY = readFileSync(DEFAULT_SEED_PRIVATE_KEY_PATH, 'utf8');
export const CALLBACK = 'http://127.0.0.1:8080/oauth/callback';

export const passwordAuth = (over: Partial<Extract<AuthConfig, { flow: 'password' }>> = {}): AuthConfig => ({
  flow: 'password', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, username: 'admin@example.com', password: PASSWORD, securityToken: SECURITY_TOKEN, ...over,
});

export function account(loginUrl: string, auth: AuthConfig = passwordAuth(), over: Partial<AccountConfig> = {}): AccountConfig {
  return { name: 'acme', loginUrl, apiVersion: '62.0', auth, fallbackOwner: null, externalIdField: null, markerField: null, apiShare: 0.2, ...over };
}

export async function setFaults(url: string, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${url}/__emulator/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(faults) });
  if (!response.ok) throw new Error(`faults: ${response.status} ${await response.text()}`);
}

export async function counters(url: string): Promise<{ apiCalls: number; byEndpoint: Record<string, number>; byKind: Record<string, number> }> {
  return (await fetch(`${url}/__emulator/counters`)).json() as never;
}

/** A fetch that counts token-endpoint calls, so tests see how many logins happened. */
export function countingFetch(): { fetch: typeof fetch; tokenCalls: () => number; grants: string[] } {
  const grants: string[] = [];
  const counted: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith('/services/oauth2/token')) grants.push(new URLSearchParams(String(init?.body ?? '')).get('grant_type') ?? '');
    return fetch(input, init);
  };
  return { fetch: counted, tokenCalls: () => grants.length, grants };
}

function hiddenInputs(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(match[1], match[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  return form;
}

/**
 * Drives the emulator's authorize pages as a browser would: load the login form, post the credentials, allow
 * access; returns the callback URL Salesforce redirected to.
 */
export async function approveInBrowser(authorizeUrl: string, username: string, password: string): Promise<URL> {
  const loginPage = await (await fetch(authorizeUrl)).text();
  const origin = new URL(authorizeUrl).origin;
  const login = hiddenInputs(loginPage);
  login.set('username', username);
  login.set('password', password);
  const approvalPage = await (await fetch(`${origin}/services/oauth2/authorize`, { method: 'POST', body: login })).text();
  const approve = hiddenInputs(approvalPage);
  if (!approve.get('ticket')) throw new Error(`login refused: ${approvalPage.slice(0, 300)}`);
  approve.set('decision', 'allow');
  const redirect = await fetch(`${origin}/services/oauth2/authorize`, { method: 'POST', body: approve, redirect: 'manual' });
  const location = redirect.headers.get('location');
  if (redirect.status !== 302 || !location) throw new Error(`no redirect: ${redirect.status}`);
  return new URL(location);
}
