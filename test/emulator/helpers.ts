import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.ts';

export const CLIENT_ID = 'emulator-client-id';
export const CLIENT_SECRET = 'emulator-client-secret';
export const ADMIN = 'admin@example.com';
export const PASSWORD = 'emulator-password';
export const TOKEN = 'EMULATORTOKEN';
export const V = '/services/data/v62.0';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form), redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: parse(text) };
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

export function passwordForm(username = ADMIN, password = PASSWORD + TOKEN): Record<string, string> {
  return { grant_type: 'password', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, username, password };
}

/** A started emulator plus a logged-in REST caller. */
export class TestOrg {
  token = '';
  private constructor(readonly emulator: RunningEmulator) {}

  static async start(options: EmulatorOptions = {}, username = ADMIN): Promise<TestOrg> {
    const org = new TestOrg(await startEmulator(options));
    await org.login(username);
    return org;
  }

  get url(): string {
    return this.emulator.url;
  }

  async login(username = ADMIN): Promise<void> {
    const reply = await post(`${this.url}/services/oauth2/token`, passwordForm(username));
    if (reply.status !== 200) throw new Error(`login failed: ${JSON.stringify(reply.body)}`);
    this.token = reply.body.access_token;
  }

  async api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${this.url}${path.startsWith('/') ? path : `${V}/${path}`}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, body: parse(await res.text()) };
  }

  async control(path: string, body?: unknown): Promise<Reply> {
    const res = await fetch(`${this.url}/__emulator/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, headers: res.headers, body: parse(await res.text()) };
  }

  close(): Promise<void> {
    return this.emulator.close();
  }
}
