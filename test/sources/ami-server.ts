import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A scripted Asterisk Manager Interface for tests: speaks Asterisk 18's banner, checks Login like
 * manager.conf would (and hangs up after "Authentication failed", as Asterisk does), answers Ping, Originate
 * and Logoff, records every action, and replays transcripts to logged-in sessions in small uneven chunks so
 * the client sees split lines. Its parser is its own, so a bug in the product parser cannot hide here.
 */

export type ReceivedAction = { connection: number; fields: Array<[string, string]> };

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ami');
export const LINK_DROP_MARKER = /^#-- the AMI link drops here --$/m;

/** A transcript file without its comment lines, split where the link drops (usually one part). */
export function loadTranscript(name: string): string[] {
  const text = readFileSync(path.join(FIXTURES, name), 'utf8');
  return text.split(LINK_DROP_MARKER).map((part) =>
    part
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n'),
  );
}

export class ScriptedAmi {
  readonly actions: ReceivedAction[] = [];
  connections = 0;
  loginAttempts = 0;
  successfulLogins = 0;
  /** Switch off to simulate a hung Asterisk that no longer answers Ping. */
  answerPings = true;
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly sessions = new Set<net.Socket>();
  private readonly loggedIn = new Set<net.Socket>();
  private chunkSeed = 7;

  constructor(
    private readonly account: { username: string; secret: string; version?: string },
  ) {}

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  actionsNamed(name: string): ReceivedAction[] {
    return this.actions.filter((action) => field(action, 'Action')?.toLowerCase() === name.toLowerCase());
  }

  /** Sends AMI text (LF or CRLF) to every logged-in session, split into uneven chunks. */
  async replay(text: string): Promise<void> {
    const wire = text.replace(/\r?\n/g, '\r\n').replace(/^(\r\n)+/, '');
    for (const socket of this.loggedIn) {
      let offset = 0;
      while (offset < wire.length) {
        const size = this.nextChunkSize();
        socket.write(wire.slice(offset, offset + size));
        offset += size;
        // Let the bytes leave in separate segments so the client really sees partial lines.
        if (offset % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Cuts every session, as a network failure or an Asterisk restart would. */
  dropAll(): void {
    for (const socket of this.sessions) socket.destroy();
  }

  async waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextChunkSize(): number {
    this.chunkSeed = (this.chunkSeed * 1103515245 + 12345) % 2147483648;
    return 1 + (this.chunkSeed % 97);
  }

  private accept(socket: net.Socket): void {
    const connection = ++this.connections;
    this.sessions.add(socket);
    socket.setEncoding('utf8');
    socket.on('close', () => {
      this.sessions.delete(socket);
      this.loggedIn.delete(socket);
    });
    socket.on('error', () => undefined);
    socket.write(`Asterisk Call Manager/${this.account.version ?? '7.0.3'}\r\n`);
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\r\n\r\n')) !== -1) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const fields = block.split('\r\n').map((line): [string, string] => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon), line.slice(colon + 1).trim()];
        });
        const action: ReceivedAction = { connection, fields };
        this.actions.push(action);
        this.answer(socket, action);
      }
    });
  }

  private answer(socket: net.Socket, action: ReceivedAction): void {
    const id = field(action, 'ActionID');
    const reply = (lines: string[]): void => {
      socket.write([...lines.slice(0, 1), `ActionID: ${id}`, ...lines.slice(1)].join('\r\n') + '\r\n\r\n');
    };
    const name = field(action, 'Action')?.toLowerCase();
    if (name === 'login') {
      this.loginAttempts++;
      if (field(action, 'Username') === this.account.username && field(action, 'Secret') === this.account.secret) {
        this.successfulLogins++;
        this.loggedIn.add(socket);
        reply(['Response: Success', 'Message: Authentication accepted']);
        socket.write('Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 3141\r\nLastReload: 3141\r\nStatus: Fully Booted\r\n\r\n');
      } else {
        reply(['Response: Error', 'Message: Authentication failed']);
        socket.end();
      }
      return;
    }
    if (!this.loggedIn.has(socket)) return reply(['Response: Error', 'Message: Permission denied']);
    if (name === 'ping') {
      if (this.answerPings) reply(['Response: Success', 'Ping: Pong', `Timestamp: ${(Date.now() / 1000).toFixed(6)}`]);
      return;
    }
    if (name === 'originate') return reply(['Response: Success', 'Message: Originate successfully queued']);
    if (name === 'logoff') {
      reply(['Response: Goodbye', 'Message: Thanks for all the fish.']);
      socket.end();
      return;
    }
    reply(['Response: Error', 'Message: Invalid/unknown command']);
  }
}

export function field(action: ReceivedAction, name: string): string | undefined {
  return action.fields.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}
