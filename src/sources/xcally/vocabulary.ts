import type { Channel } from '../../domain/interaction.ts';

/**
 * Motion's words → ctibridge's words. Inputs are compared after lower-casing and dropping everything but
 * letters and digits, so "Chat Closed", "chat_closed" and "CHATCLOSED" read the same.
 */

const squash = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

const CHANNEL_WORDS: Record<string, Channel> = {
  voice: 'voice', call: 'voice', phone: 'voice', telephony: 'voice',
  chat: 'chat', webchat: 'chat', livechat: 'chat',
  mail: 'email', email: 'email',
  sms: 'sms',
  whatsapp: 'whatsapp', wa: 'whatsapp', whatsappconnector: 'whatsapp',
  openchannel: 'openchannel',
  fax: 'fax',
  video: 'video', videocall: 'video', vidaoo: 'video',
};

/** A channel name, or undefined (e.g. for an Asterisk channel like `PJSIP/1001-0000002a`). */
export function channelFromWord(text: string): Channel | undefined {
  return CHANNEL_WORDS[squash(text)];
}

export type Direction = 'inbound' | 'outbound' | 'internal';

const DIRECTION_WORDS: Record<string, Direction> = {
  inbound: 'inbound', in: 'inbound', incoming: 'inbound', received: 'inbound',
  outbound: 'outbound', out: 'outbound', outgoing: 'outbound', sent: 'outbound',
  internal: 'internal', local: 'internal', extension: 'internal',
};

export function directionFromWord(text: string): Direction | undefined {
  return DIRECTION_WORDS[squash(text)];
}

/**
 * Phase from Motion's trigger event or call status. Voice trigger "Call status" values documented by
 * XCALLY are Ring, Answer, Hangup (dropped after being answered), Reject, Abandon; chat/mail/message
 * triggers are named freely by the admin ("chat closed", "mail received", "new message"), so keywords are
 * matched, most specific first ("noanswer" must not read as "answer", "send" must not read as "end").
 */
const PHASE_KEYWORDS: Array<[RegExp, string]> = [
  [/abandon/, 'abandoned'],
  [/reject|noanswer|unanswered|missed|ringnoanswer/, 'missed'],
  [/transfer/, 'transferred'],
  [/^ring|ringing/, 'ringing'],
  [/answer|connect|accept|pickup/, 'answered'],
  [/message|receive|send|sent|reply|msg/, 'message'],
  [/hangup|^end|end$|ended|close|complete|finish|dispos|terminat|stop/, 'ended'],
  [/^start|started|^new|create|open|enter|begin/, 'started'],
];

export function phaseFromWord(text: string): string | undefined {
  const word = squash(text);
  if (!word) return undefined;
  for (const [pattern, phase] of PHASE_KEYWORDS) if (pattern.test(word)) return phase;
  return undefined;
}

/**
 * Call outcomes normalised to the Asterisk CDR vocabulary Motion reports (ANSWERED, NO ANSWER, BUSY,
 * FAILED, CONGESTION) plus queue outcomes (ABANDONED, TIMEOUT, REJECTED). Anything else (a disposition an
 * agent picked, e.g. "Solved") is kept as sent, trimmed.
 */
const DISPOSITION_WORDS: Record<string, string> = {
  answered: 'ANSWERED', answer: 'ANSWERED', completecaller: 'ANSWERED', completeagent: 'ANSWERED', completed: 'ANSWERED',
  noanswer: 'NO ANSWER', ringnoanswer: 'NO ANSWER', unanswered: 'NO ANSWER', missed: 'NO ANSWER',
  busy: 'BUSY',
  failed: 'FAILED', fail: 'FAILED', chanunavail: 'FAILED',
  congestion: 'CONGESTION',
  abandon: 'ABANDONED', abandoned: 'ABANDONED',
  exitwithtimeout: 'TIMEOUT', timeout: 'TIMEOUT',
  reject: 'REJECTED', rejected: 'REJECTED',
  cancel: 'CANCELLED', cancelled: 'CANCELLED', canceled: 'CANCELLED',
};

export function normaliseDisposition(text: string): string {
  return DISPOSITION_WORDS[squash(text)] ?? text.trim();
}
