import { CtiError } from '../../errors.ts';

/**
 * The Asterisk Manager Interface wire format, without I/O: a banner line `Asterisk Call Manager/x.y.z`,
 * then messages of `Key: Value` lines, each message ended by an empty line. Lines end in CRLF; a bare LF is
 * accepted too because proxies and test tools sometimes strip the CR.
 */

/** One received message (a Response or an Event). A key repeated in one message keeps its last value. */
export type AmiMessage = Record<string, string>;

/** An action to send, as ordered pairs because some keys repeat (`Variable:` in Originate). */
export type AmiAction = Array<[key: string, value: string]>;

export type AmiFrame = { kind: 'banner'; version: string; text: string } | { kind: 'message'; message: AmiMessage };

const BANNER = /^Asterisk Call Manager\/(\S+)/;

export class AmiParser {
  private buffered = '';
  private current: AmiMessage = {};
  private fieldCount = 0;
  private bannerSeen = false;

  /** Feeds a chunk (any split, even mid-line) and returns the frames it completed. */
  push(chunk: string): AmiFrame[] {
    this.buffered += chunk;
    const frames: AmiFrame[] = [];
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) !== -1) {
      const line = this.buffered.slice(0, newline).replace(/\r$/, '');
      this.buffered = this.buffered.slice(newline + 1);
      const frame = this.readLine(line);
      if (frame) frames.push(frame);
    }
    return frames;
  }

  private readLine(line: string): AmiFrame | undefined {
    if (!this.bannerSeen) {
      this.bannerSeen = true;
      const match = BANNER.exec(line);
      if (!match) {
        throw new CtiError('AMI_PROTOCOL', 'the server did not greet with "Asterisk Call Manager/x.y.z": check host and port point at the AMI port (5038)');
      }
      return { kind: 'banner', version: match[1], text: line };
    }
    if (line === '') {
      if (this.fieldCount === 0) return undefined;
      const message = this.current;
      this.current = {};
      this.fieldCount = 0;
      return { kind: 'message', message };
    }
    const colon = line.indexOf(':');
    // Lines without a colon only appear in raw command output, which this client does not request.
    if (colon <= 0) return undefined;
    this.current[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
    this.fieldCount++;
    return undefined;
  }
}

/** Serialises an action; refuses values that could smuggle extra lines (an injected `Action:` or header). */
export function formatAction(action: AmiAction): string {
  let text = '';
  for (const [key, value] of action) {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(key)) throw new CtiError('AMI_INVALID_ACTION', `AMI field name "${key}" is not a plain word`);
    if (/[\r\n]/.test(value)) {
      throw new CtiError('AMI_INVALID_ACTION', `AMI field "${key}" contains a line break: remove CR/LF from the value`, { field: key });
    }
    text += `${key}: ${value}\r\n`;
  }
  return `${text}\r\n`;
}
