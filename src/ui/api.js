// The admin API from the browser: JSON, the session cookie, and the CSRF token on every state change.

const session = { user: null, csrfToken: null, onUnauthorized: () => {} };

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export function setSession(user, onUnauthorized) {
  session.user = user;
  session.csrfToken = user?.csrfToken ?? null;
  if (onUnauthorized) session.onUnauthorized = onUnauthorized;
}

export function currentUser() {
  return session.user;
}

export async function request(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { message: text };
  }
  if (response.status === 401 && path.startsWith('/api/')) session.onUnauthorized();
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body ?? {}),
  put: (path, body) => request('PUT', path, body),
  del: (path) => request('DELETE', path),
};

/** The problems of a 400 answer as lines: `details` entries when present, else the message. */
export function problemsOf(error) {
  const details = error?.body?.details;
  if (Array.isArray(details) && details.length) return details.map((d) => d.message ?? JSON.stringify(d));
  return [error?.message ?? String(error)];
}
