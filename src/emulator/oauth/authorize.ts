import type { EmuRequest, EmuResponse } from '../http-types.ts';
import { html, redirect } from '../http-types.ts';
import type { Org } from '../org.ts';
import type { SeedApp } from '../seed/types.ts';
import { formParams, grantedScope } from './common.ts';

const FLOW_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method'];
const LOGIN_FAILED = "Please check your username and password. If you still can't log in, contact your Salesforce administrator.";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f3f3f3;display:flex;justify-content:center;padding-top:4rem}
main{background:#fff;border:1px solid #ddd;border-radius:6px;padding:2rem;width:22rem}label{display:block;margin-top:1rem}
input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1.5rem;padding:.6rem 1.2rem;background:#0070d2;color:#fff;border:0;border-radius:4px}
.error{color:#c23934}</style></head><body><main>${body}</main></body></html>`;
}

function hiddenFields(params: URLSearchParams): string {
  return FLOW_PARAMS.filter((name) => params.get(name) !== null)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`)
    .join('');
}

function callbackPattern(url: string): RegExp {
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*/g, '\\d+');
  return new RegExp(`^${escaped}$`);
}

export function callbackAllowed(app: SeedApp, redirectUri: string): boolean {
  return app.callbackUrls.some((url) => callbackPattern(url).test(redirectUri));
}

function errorPage(error: string, description: string): EmuResponse {
  return html(400, page('OAuth Error', `<h1>OAuth Error</h1><p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p>
<p class="error" id="oauth-error">error=${escapeHtml(error)}&amp;error_description=${escapeHtml(description)}</p>`));
}

function backToClient(redirectUri: string, values: Record<string, string | null>): EmuResponse {
  const target = new URL(redirectUri);
  for (const [key, value] of Object.entries(values)) if (value !== null) target.searchParams.set(key, value);
  return redirect(target.toString());
}

function loginPage(params: URLSearchParams, message?: string): EmuResponse {
  return html(200, page('Login | Salesforce', `<h1>Log In</h1>${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/services/oauth2/authorize">${hiddenFields(params)}<input type="hidden" name="step" value="login">
<label for="username">Username</label><input type="text" id="username" name="username" autocomplete="username">
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password">
<button type="submit" id="Login" name="Login">Log In</button></form>`));
}

function approvalPage(app: SeedApp, params: URLSearchParams, ticket: string, username: string): EmuResponse {
  const scopes = grantedScope(app, params.get('scope')).split(' ').map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return html(200, page('Allow Access?', `<h1>Allow Access?</h1><p><strong>${escapeHtml(app.name)}</strong> is asking to access your data as ${escapeHtml(username)}:</p>
<ul>${scopes}</ul><form method="post" action="/services/oauth2/authorize">${hiddenFields(params)}
<input type="hidden" name="step" value="approve"><input type="hidden" name="ticket" value="${escapeHtml(ticket)}">
<button type="submit" name="decision" value="deny">Deny</button> <button type="submit" name="decision" value="allow" id="oaapprove">Allow</button></form>`));
}

/** Validates the client and callback the way Salesforce does before showing anything: problems get an error page, not a redirect. */
function checkFlow(org: Org, params: URLSearchParams): { app: SeedApp; redirectUri: string } | EmuResponse {
  const app = org.app(params.get('client_id') ?? '');
  if (!app || !app.grants.includes('authorization_code')) return errorPage('invalid_client_id', 'client identifier invalid');
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!callbackAllowed(app, redirectUri)) return errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration');
  return { app, redirectUri };
}

/** `GET|POST /services/oauth2/authorize`: login form, then the Allow page, then a redirect with `code` and `state`. */
export function authorize(org: Org, req: EmuRequest): EmuResponse {
  const params = req.method === 'POST' ? formParams(req) : req.query;
  const checked = checkFlow(org, params);
  if (!('app' in checked)) return checked;
  const { app, redirectUri } = checked;
  const state = params.get('state');
  if (params.get('response_type') !== 'code') {
    return backToClient(redirectUri, { error: 'unsupported_response_type', error_description: 'response type not supported', state });
  }
  const method = params.get('code_challenge_method');
  if (params.get('code_challenge') && method !== null && method !== 'S256' && method !== 'plain') {
    return backToClient(redirectUri, { error: 'invalid_request', error_description: 'invalid code_challenge_method', state });
  }
  const step = req.method === 'POST' ? params.get('step') : null;
  if (step === 'login') {
    const credentials = org.credentialsFor(params.get('username') ?? '');
    const active = credentials ? org.user(credentials.userId)?.IsActive !== false : false;
    if (!credentials || credentials.locked || !active || params.get('password') !== credentials.password) {
      return loginPage(params, LOGIN_FAILED);
    }
    return approvalPage(app, params, org.sessions.createLoginTicket(credentials.userId), credentials.username);
  }
  if (step === 'approve') {
    const userId = org.sessions.consumeLoginTicket(params.get('ticket') ?? '');
    if (!userId) return loginPage(params, 'Your session has expired. Please log in again.');
    if (params.get('decision') !== 'allow') {
      return backToClient(redirectUri, { error: 'access_denied', error_description: 'end-user denied authorization', state });
    }
    const code = org.sessions.createCode({
      clientId: app.clientId, redirectUri, userId, scope: grantedScope(app, params.get('scope')),
      ...(params.get('code_challenge') ? { codeChallenge: params.get('code_challenge')!, codeChallengeMethod: method ?? 'S256' } : {}),
    });
    return backToClient(redirectUri, { code, state });
  }
  return loginPage(params);
}
