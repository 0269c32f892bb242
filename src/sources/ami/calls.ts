import type { Interaction, InteractionEvent } from '../../domain/interaction.ts';
import type { AmiMessage } from './protocol.ts';
import { parseAmiCallRules, type AmiCallRules, type AmiCallRulesInput } from './rules.ts';

/**
 * Asterisk 16–20 AMI events → interaction events, one call per Linkedid (the id every channel of a call
 * shares, transfers included). No I/O and no clock: each event comes with the time it was received, and
 * `Timestamp:` (timestampevents=yes) wins over it, so replaying a transcript always gives the same events.
 *
 * A call yields started, ringing, answered, transferred (once per transfer) and exactly one final event:
 * ended, abandoned (an inbound caller gave up) or missed (an inbound call nobody answered). The final event is
 * sent when the last channel of the call hangs up (or, with `cdrWaitMs`, when its Cdr arrives).
 */

type Direction = NonNullable<Interaction['direction']>;

interface ChannelInfo {
  uniqueid: string;
  linkedid: string;
  name: string;
  context: string;
  exten: string;
  callerNum: string;
  callerName: string;
}

interface Agent {
  id?: string;
  name?: string;
  extension?: string;
}

interface CallState {
  linkedid: string;
  startedAt: number;
  lastActivityAt: number;
  /** The channel that started the call (Uniqueid = Linkedid). */
  origin?: ChannelInfo;
  live: Set<string>;
  dialedNumber?: string;
  reachedTrunk: boolean;
  queue?: string;
  inQueue: boolean;
  abandonedInQueue: boolean;
  rang: boolean;
  /** A queue member answered (DialEnd) but AgentConnect, which names the member, has not come yet. */
  pendingQueueAnswer?: Agent;
  answeredAt?: number;
  agent?: Agent;
  ringNoAnswer: string[];
  holdTimeSec?: number;
  agentTalkTimeSec?: number;
  lastDialStatus?: string;
  hangupCause?: string;
  transfers: number;
  transferTarget?: string;
  recordingFile?: string;
  cdr?: { durationSec?: number; billableSec?: number; disposition?: string };
  /** Last hangup seen while waiting for the Cdr. */
  finishedAt?: number;
  emitted: Set<string>;
}

const UNKNOWN = new Set(['', '<unknown>', 'unknown', 's']);
const known = (value: string | undefined): string | undefined => (value === undefined || UNKNOWN.has(value) ? undefined : value);

/** `PJSIP/201-0000000a` → 201, `Local/201@from-queue-00000003;1` → 201, `PJSIP/201` → 201. */
export function extensionOf(channelOrInterface: string | undefined): string | undefined {
  if (!channelOrInterface) return undefined;
  const slash = channelOrInterface.indexOf('/');
  if (slash < 0) return undefined;
  const resource = channelOrInterface
    .slice(slash + 1)
    .replace(/;\d+$/, '')
    .replace(/\/n$/, '')
    .replace(/-[0-9a-f]{8}$/i, '');
  return known(resource.split('@')[0]);
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

const DIAL_STATUS_DISPOSITION: Record<string, string> = {
  ANSWER: 'ANSWERED',
  NOANSWER: 'NO ANSWER',
  BUSY: 'BUSY',
  CANCEL: 'NO ANSWER',
  CHANUNAVAIL: 'FAILED',
  CONGESTION: 'FAILED',
};

export class AmiCallTracker {
  readonly rules: AmiCallRules;
  private readonly calls = new Map<string, CallState>();
  private readonly channels = new Map<string, string>();
  /** Linkedids of finished calls: late events (a stray Cdr, BridgeLeave) must not open them again. */
  private readonly finished = new Map<string, number>();
  private readonly internalNumber: RegExp;

  constructor(rules: AmiCallRulesInput | AmiCallRules = {}) {
    this.rules = parseAmiCallRules(rules);
    this.internalNumber = new RegExp(this.rules.internalExtensionPattern);
  }

  /** Calls currently tracked (for metrics and the memory bound). */
  get size(): number {
    return this.calls.size;
  }

  handle(message: AmiMessage, receivedAt: Date): InteractionEvent[] {
    const at = eventTime(message, receivedAt);
    const out: InteractionEvent[] = [];
    switch (message.Event) {
      case 'Newchannel':
        this.onNewchannel(message, at, out);
        break;
      case 'Newstate':
      case 'NewCallerid':
      case 'NewConnectedLine':
        this.track(message, '', at);
        break;
      case 'DialBegin':
        this.onDialBegin(message, at, out);
        break;
      case 'DialEnd':
        this.onDialEnd(message, at, out);
        break;
      case 'QueueCallerJoin': {
        const call = this.track(message, '', at);
        if (call) {
          call.queue = message.Queue;
          call.inQueue = true;
        }
        break;
      }
      case 'QueueCallerLeave': {
        const call = this.track(message, '', at);
        if (call) call.inQueue = false;
        break;
      }
      case 'QueueCallerAbandon': {
        const call = this.track(message, '', at);
        if (call) {
          call.abandonedInQueue = true;
          call.queue ??= message.Queue;
          call.holdTimeSec = seconds(message.HoldTime) ?? call.holdTimeSec;
        }
        break;
      }
      case 'AgentCalled':
        this.onAgentCalled(message, at, out);
        break;
      case 'AgentConnect':
        this.onAgentConnect(message, at, out);
        break;
      case 'AgentComplete': {
        const call = this.track(message, '', at);
        if (call) {
          call.agentTalkTimeSec = seconds(message.TalkTime);
          call.holdTimeSec ??= seconds(message.HoldTime);
        }
        break;
      }
      case 'AgentRingNoAnswer': {
        const call = this.track(message, '', at);
        if (call) {
          const member = message.MemberName || message.Interface;
          if (member && !call.ringNoAnswer.includes(member)) call.ringNoAnswer.push(member);
          call.lastDialStatus = 'NOANSWER';
        }
        break;
      }
      case 'BridgeEnter': {
        const call = this.track(message, '', at);
        // Without the "agent" read permission AgentConnect never comes: the bridge is the proof of answer.
        if (call?.pendingQueueAnswer && call.answeredAt === undefined && message.Uniqueid === call.origin?.uniqueid) {
          this.answer(call, call.pendingQueueAnswer, at, out);
        }
        break;
      }
      case 'BridgeLeave':
        this.track(message, '', at);
        break;
      case 'BlindTransfer':
      case 'AttendedTransfer':
        this.onTransfer(message, at, out);
        break;
      case 'VarSet':
        this.onVarSet(message, at);
        break;
      case 'Hangup':
        this.onHangup(message, at, out);
        break;
      case 'Cdr':
        this.onCdr(message, out);
        break;
    }
    return out;
  }

  /** Closes calls whose Cdr wait is over and forgets idle ones. Call it now and then with the current time. */
  tick(now: Date): InteractionEvent[] {
    const out: InteractionEvent[] = [];
    const nowMs = now.getTime();
    const idleMs = this.rules.maxCallIdleHours * 3_600_000;
    for (const call of [...this.calls.values()]) {
      if (call.finishedAt !== undefined && nowMs - call.finishedAt >= this.rules.cdrWaitMs) this.finish(call, call.finishedAt, out);
      else if (nowMs - call.lastActivityAt > idleMs) this.forget(call);
    }
    for (const [linkedid, endedAt] of this.finished) {
      if (nowMs - endedAt > idleMs) this.finished.delete(linkedid);
    }
    return out;
  }

  private onNewchannel(message: AmiMessage, at: number, out: InteractionEvent[]): void {
    const call = this.track(message, '', at);
    if (!call || message.Uniqueid !== call.linkedid) return;
    call.startedAt = at;
    const exten = known(message.Exten);
    if (exten && !this.isInboundStart(call)) call.dialedNumber = exten;
    this.emit(call, 'started', at, out);
  }

  private onDialBegin(message: AmiMessage, at: number, out: InteractionEvent[]): void {
    const call = this.track(message, '', at) ?? this.track(message, 'Dest', at);
    const dest = message.DestChannel;
    if (!call || !dest) return;
    this.track(message, 'Dest', at);
    // No calling channel: Asterisk itself rings a phone (Originate's first leg), which is not the call ringing.
    if (!message.Channel) return;
    if (message.Uniqueid && message.Uniqueid === call.origin?.uniqueid && !this.isInboundStart(call)) {
      call.dialedNumber ??= known(message.Exten);
    }
    if (this.isTrunk(dest)) call.reachedTrunk = true;
    call.rang = true;
    if (call.answeredAt === undefined && !call.inQueue && !this.isTrunk(dest)) call.agent = { extension: extensionOf(dest) };
    this.emit(call, 'ringing', at, out);
  }

  private onDialEnd(message: AmiMessage, at: number, out: InteractionEvent[]): void {
    const call = this.track(message, '', at) ?? this.track(message, 'Dest', at);
    if (!call || !message.Channel) return;
    const status = message.DialStatus;
    const dest = message.DestChannel;
    if (status !== 'ANSWER') {
      // A Local half or a second agent ringing in parallel says nothing once the call is answered.
      if (call.answeredAt === undefined && status) call.lastDialStatus = status;
      return;
    }
    const answeredBy: Agent | undefined = this.isTrunk(dest) ? this.ownAgent(call) : { extension: extensionOf(dest) };
    if (call.answeredAt !== undefined) {
      // After a transfer the new party answering is the agent now on the call.
      if (call.transfers > 0 && answeredBy?.extension && !this.isTrunk(dest)) call.agent = answeredBy;
      return;
    }
    if (call.inQueue) {
      call.pendingQueueAnswer = answeredBy;
      return;
    }
    this.answer(call, answeredBy, at, out);
  }

  private onAgentCalled(message: AmiMessage, at: number, out: InteractionEvent[]): void {
    const call = this.track(message, '', at);
    if (!call) return;
    this.track(message, 'Dest', at);
    call.queue ??= message.Queue;
    call.rang = true;
    if (call.answeredAt === undefined) call.agent = queueMember(message);
    this.emit(call, 'ringing', at, out);
  }

  private onAgentConnect(message: AmiMessage, at: number, out: InteractionEvent[]): void {
    const call = this.track(message, '', at);
    if (!call) return;
    call.queue ??= message.Queue;
    call.holdTimeSec = seconds(message.HoldTime) ?? call.holdTimeSec;
    const member = queueMember(message);
    if (call.answeredAt === undefined) this.answer(call, member, at, out);
    // The bridge may have announced the answer first; the member's name still belongs on the call.
    else if (call.transfers === 0) call.agent = member;
  }

  private onTransfer(message: AmiMessage, at: number, out: InteractionEvent[]): void {
    if (message.Result !== 'Success') return;
    const blind = message.Event === 'BlindTransfer';
    const call =
      this.track(message, 'Transferee', at) ?? this.track(message, blind ? 'Transferer' : 'OrigTransferer', at);
    if (!call) return;
    call.transfers++;
    call.transferTarget = blind
      ? known(message.Extension)
      : known(message.TransferTargetCallerIDNum) ?? known(message.SecondTransfererConnectedLineNum) ?? known(message.SecondTransfererExten);
    if (!blind && call.transferTarget) call.agent = { extension: call.transferTarget };
    this.emit(call, call.transfers === 1 ? 'transferred' : `transferred-${call.transfers}`, at, out, 'transferred');
  }

  private onVarSet(message: AmiMessage, at: number): void {
    const variable = message.Variable;
    if (variable !== 'MIXMONITOR_FILENAME' && variable !== 'CALLFILENAME') return;
    const call = this.track(message, '', at);
    const value = known(message.Value);
    if (!call || !value) return;
    // MixMonitor's own full path beats FreePBX's base name, whichever comes first.
    if (variable === 'MIXMONITOR_FILENAME') call.recordingFile = value;
    else if (!call.recordingFile?.startsWith('/')) call.recordingFile = `${value}.${this.rules.recordingFormat}`;
  }

  private onHangup(message: AmiMessage, at: number, out: InteractionEvent[]): void {
    const uniqueid = message.Uniqueid;
    const linkedid = uniqueid ? this.channels.get(uniqueid) : undefined;
    const call = linkedid ? this.calls.get(linkedid) : undefined;
    if (!call || !uniqueid) return;
    call.lastActivityAt = at;
    call.live.delete(uniqueid);
    if (uniqueid === call.origin?.uniqueid) call.hangupCause = message['Cause-txt'] || message.Cause;
    if (call.live.size > 0) return;
    if (this.rules.cdrWaitMs > 0 && !call.cdr) call.finishedAt = at;
    else this.finish(call, at, out);
  }

  private onCdr(message: AmiMessage, out: InteractionEvent[]): void {
    const linkedid = message.UniqueID ? this.channels.get(message.UniqueID) : undefined;
    const call = linkedid ? this.calls.get(linkedid) : undefined;
    // Only the CDR of the channel that started the call covers the whole call.
    if (!call || message.UniqueID !== call.linkedid) return;
    call.cdr = {
      durationSec: seconds(message.Duration),
      billableSec: seconds(message.BillableSeconds),
      disposition: known(message.Disposition),
    };
    if (call.finishedAt !== undefined) this.finish(call, call.finishedAt, out);
  }

  /**
   * Registers the channel named by `prefix` fields (Channel/Uniqueid/Linkedid, DestChannel/DestUniqueid/...)
   * and returns its call. A channel whose Linkedid changed (it was bridged into an older call) moves over.
   */
  private track(message: AmiMessage, prefix: string, at: number): CallState | undefined {
    const uniqueid = message[`${prefix}Uniqueid`];
    const linkedid = message[`${prefix}Linkedid`];
    if (!uniqueid || !linkedid || this.finished.has(linkedid)) return undefined;
    let call = this.calls.get(linkedid);
    if (!call) {
      call = newCall(linkedid, at);
      this.calls.set(linkedid, call);
      this.enforceCapacity();
    }
    call.lastActivityAt = at;
    const previous = this.channels.get(uniqueid);
    if (previous !== linkedid) {
      const old = previous ? this.calls.get(previous) : undefined;
      this.channels.set(uniqueid, linkedid);
      if (old) {
        old.live.delete(uniqueid);
        if (old.live.size === 0) this.forget(old);
      }
    }
    call.live.add(uniqueid);
    const info: ChannelInfo = {
      uniqueid,
      linkedid,
      name: message[`${prefix}Channel`] ?? '',
      context: message[`${prefix}Context`] ?? '',
      exten: message[`${prefix}Exten`] ?? '',
      callerNum: message[`${prefix}CallerIDNum`] ?? '',
      callerName: message[`${prefix}CallerIDName`] ?? '',
    };
    if (uniqueid === linkedid) {
      // Context and Exten move as the dialplan runs (from-pstn → ext-queues): the first sighting says where
      // the call came in. Caller id may be corrected later (a CID lookup), so that part follows along.
      call.origin = call.origin
        ? { ...call.origin, callerNum: info.callerNum || call.origin.callerNum, callerName: info.callerName || call.origin.callerName }
        : info;
    }
    return call;
  }

  private answer(call: CallState, agent: Agent | undefined, at: number, out: InteractionEvent[]): void {
    call.answeredAt = at;
    call.pendingQueueAnswer = undefined;
    if (agent) call.agent = agent;
    this.emit(call, 'answered', at, out);
  }

  private finish(call: CallState, endedAt: number, out: InteractionEvent[]): void {
    const direction = this.direction(call);
    const answered = call.answeredAt !== undefined;
    let phase = 'ended';
    let disposition: string;
    if (answered) disposition = 'ANSWERED';
    else if (direction === 'inbound' && (call.abandonedInQueue || call.lastDialStatus === 'CANCEL')) {
      phase = 'abandoned';
      disposition = 'ABANDONED';
    } else {
      disposition = (call.lastDialStatus && DIAL_STATUS_DISPOSITION[call.lastDialStatus]) ?? call.cdr?.disposition ?? 'NO ANSWER';
      if (direction === 'inbound' && (call.queue || call.rang)) phase = 'missed';
    }
    const endedSeconds = (from: number): number => Math.max(0, Math.round((endedAt - from) / 1000));
    const final: Partial<Interaction> = {
      endedAt: iso(endedAt),
      disposition,
      durationSec: call.cdr?.durationSec ?? endedSeconds(call.startedAt),
      waitSec: call.holdTimeSec ?? (answered ? Math.round((call.answeredAt! - call.startedAt) / 1000) : endedSeconds(call.startedAt)),
      talkSec: answered
        ? (call.transfers === 0 ? call.agentTalkTimeSec : undefined) ?? call.cdr?.billableSec ?? endedSeconds(call.answeredAt!)
        : 0,
    };
    this.emit(call, phase, endedAt, out, phase, final);
    this.forget(call);
    this.finished.set(call.linkedid, endedAt);
  }

  private forget(call: CallState): void {
    this.calls.delete(call.linkedid);
    for (const [uniqueid, linkedid] of this.channels) if (linkedid === call.linkedid) this.channels.delete(uniqueid);
  }

  private enforceCapacity(): void {
    while (this.calls.size > this.rules.maxTrackedCalls) {
      const oldest = this.calls.values().next().value;
      if (!oldest) return;
      this.forget(oldest);
    }
    while (this.finished.size > this.rules.maxTrackedCalls) {
      const oldest = this.finished.keys().next().value;
      if (oldest === undefined) return;
      this.finished.delete(oldest);
    }
  }

  private emit(call: CallState, idSuffix: string, at: number, out: InteractionEvent[], phase = idSuffix, extra: Partial<Interaction> = {}): void {
    if (call.emitted.has(idSuffix)) return;
    call.emitted.add(idSuffix);
    out.push({
      id: `ami:${call.linkedid}:${idSuffix}`,
      type: `voice.${phase}`,
      occurredAt: iso(at),
      interaction: { ...this.snapshot(call), ...extra },
    });
  }

  private snapshot(call: CallState): Interaction {
    const direction = this.direction(call);
    const origin = call.origin;
    const customer =
      direction === 'inbound'
        ? { phone: known(origin?.callerNum), name: known(origin?.callerName) }
        : { phone: call.dialedNumber };
    const agent = direction === 'inbound' ? call.agent : (this.ownAgent(call) ?? call.agent);
    const interaction: Interaction = {
      id: call.linkedid,
      channel: 'voice',
      direction,
      queue: call.queue,
      customer: compact(customer),
      agent: agent && compact(agent),
      startedAt: iso(call.startedAt),
      answeredAt: call.answeredAt === undefined ? undefined : iso(call.answeredAt),
      recordingUrl: this.recordingUrl(call.recordingFile),
      variables: compact({
        channel: origin?.name,
        context: origin?.context,
        did: direction === 'inbound' ? known(origin?.exten) : undefined,
        dialedNumber: call.dialedNumber,
        transfers: call.transfers || undefined,
        transferTarget: call.transferTarget,
        ringNoAnswer: call.ringNoAnswer.length ? [...call.ringNoAnswer] : undefined,
        hangupCause: call.hangupCause,
        recordingFile: call.recordingFile,
      }),
    };
    return compact(interaction) as Interaction;
  }

  /** The agent who placed an outbound or internal call: the extension of the channel that started it. */
  private ownAgent(call: CallState): Agent | undefined {
    const origin = call.origin;
    if (!origin || this.isInboundStart(call)) return undefined;
    const extension = extensionOf(origin.name);
    // An Originate shows the customer's number as caller id on the agent's phone: only trust the name when it is the agent's own.
    const name = origin.callerNum === extension ? known(origin.callerName) : undefined;
    return { id: extension, name, extension };
  }

  private direction(call: CallState): Direction | undefined {
    const origin = call.origin;
    if (!origin) return undefined;
    if (this.isInboundStart(call)) return 'inbound';
    const fromExtension =
      this.rules.outboundContexts.includes(origin.context) || (this.rules.trunkChannelPrefixes.length > 0 && !this.isTrunk(origin.name));
    if (!fromExtension) return undefined;
    if (call.reachedTrunk) return 'outbound';
    return call.dialedNumber && this.internalNumber.test(call.dialedNumber) ? 'internal' : 'outbound';
  }

  private isInboundStart(call: CallState): boolean {
    const origin = call.origin;
    return !!origin && (this.isTrunk(origin.name) || this.rules.inboundContexts.includes(origin.context));
  }

  private isTrunk(channel: string | undefined): boolean {
    return !!channel && this.rules.trunkChannelPrefixes.some((prefix) => channel.startsWith(prefix));
  }

  private recordingUrl(file: string | undefined): string | undefined {
    const base = this.rules.recordingBaseUrl;
    if (!file || !base) return undefined;
    const directory = this.rules.recordingDirectory.replace(/\/?$/, '/');
    const relative = file.startsWith(directory) ? file.slice(directory.length) : file.replace(/^\/+/, '');
    return `${base.replace(/\/+$/, '')}/${relative.split('/').map(encodeURIComponent).join('/')}`;
  }
}

function newCall(linkedid: string, at: number): CallState {
  return {
    linkedid,
    startedAt: at,
    lastActivityAt: at,
    live: new Set(),
    reachedTrunk: false,
    inQueue: false,
    abandonedInQueue: false,
    rang: false,
    ringNoAnswer: [],
    transfers: 0,
    emitted: new Set(),
  };
}

function queueMember(message: AmiMessage): Agent {
  return compact({
    id: known(message.Interface),
    name: known(message.MemberName),
    extension: extensionOf(message.Interface) ?? extensionOf(message.DestChannel),
  });
}

/** `Timestamp: 1764321300.123456` (timestampevents=yes) when present, else when it was received. */
function eventTime(message: AmiMessage, receivedAt: Date): number {
  const stamp = Number(message.Timestamp);
  return message.Timestamp && Number.isFinite(stamp) && stamp > 0 ? Math.round(stamp * 1000) : receivedAt.getTime();
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Drops undefined fields (and empty nested objects) so events carry only what is known. */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    if (field && typeof field === 'object' && !Array.isArray(field) && Object.keys(field).length === 0) continue;
    out[key] = field;
  }
  return out as T;
}
