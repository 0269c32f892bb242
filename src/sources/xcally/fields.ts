/**
 * The Motion variable names ctibridge reads, per interaction field, in order of preference.
 * Spelling, case and separators do not matter (see payload.ts), so `contact.firstName` also covers
 * `contactFirstName` and `contact[firstName]`.
 *
 * Sources (docs/xcally.md has the links): contact fields are from XCALLY's "V3 Motion Variable List"
 * (id, firstName, lastName, phone, mobile, email, …); call fields follow the Asterisk/Motion call and
 * queue report columns (uniqueid, linkedid, calleridnum, calleridname, membername, holdtime, talktime,
 * billsec, duration, disposition, starttime, answertime, endtime, recordingfile). Names marked
 * "inferred" are common spellings ctibridge accepts without having found them in XCALLY's pages.
 */
export const FIELDS = {
  timezone: ['timezone', 'tz'],
  channel: ['channel', 'interaction.channel', 'mediaType', 'media'],
  phase: ['phase', 'event', 'eventName', 'triggerEvent', 'callStatus', 'status'],
  eventId: ['eventId', 'event.id'],
  occurredAt: ['occurredAt', 'timestamp', 'eventTime'],

  // A call's uniqueid is shared by every trigger firing for that call; linkedid as a fallback.
  voiceInteractionId: ['uniqueid', 'callUniqueId', 'interactionId', 'interaction.id', 'linkedid'],
  // inferred: Motion's per-channel interaction keys.
  interactionId: [
    'interactionId', 'interaction.id',
    'ChatInteractionId', 'MailInteractionId', 'SmsInteractionId', 'WhatsappInteractionId',
    'OpenchannelInteractionId', 'FaxInteractionId', 'conversationId', 'uniqueid',
  ],
  messageId: [
    'messageId', 'message.id',
    'ChatMessageId', 'MailMessageId', 'SmsMessageId', 'WhatsappMessageId', 'OpenchannelMessageId',
  ],

  direction: ['direction', 'callDirection', 'interaction.direction', 'message.direction', 'type', 'calltype'],
  queue: ['queue', 'queueName', 'queue.name', 'interaction.queue'],

  callerNumber: ['calleridnum', 'callerIdNumber', 'callerNumber', 'callerid', 'source', 'src'],
  callerName: ['calleridname', 'callerIdName', 'callerName'],
  calledNumber: ['destination', 'connectedlinenum', 'calledNumber', 'dst', 'dnid'],
  calledName: ['connectedlinename', 'calledName'],
  from: ['from', 'message.from', 'sender'],
  to: ['to', 'message.to', 'recipient'],

  customerPhone: ['customer.phone', 'customerPhone', 'contact.phone', 'contactPhone', 'phone', 'visitorPhone'],
  customerMobile: ['contact.mobile', 'contactMobile', 'mobile'],
  customerEmail: ['customer.email', 'customerEmail', 'contact.email', 'contactEmail', 'email', 'visitorEmail'],
  customerName: ['customer.name', 'customerName', 'contact.name', 'contactName', 'visitorName', 'fullname'],
  firstName: ['contact.firstName', 'contactFirstName', 'firstName'],
  lastName: ['contact.lastName', 'contactLastName', 'lastName'],
  salesforceId: [
    'salesforceId', 'customer.salesforceId', 'contact.salesforceId', 'sfId', 'sfdcId',
    'contact.sfId', 'cf_salesforceid', 'contact.cf_salesforceid', 'whoId',
  ],

  agentName: ['agent.name', 'agentName', 'agent.fullname', 'agentFullname', 'membername', 'agent'],
  agentExtension: [
    'agent.internal', 'agentInternal', 'agent.extension', 'agentExtension', 'internal', 'extension', 'agent', 'membername',
  ],
  agentEmail: ['agent.email', 'agentEmail'],
  agentId: ['agent.id', 'agentId', 'agent.username', 'agentUsername'],

  startedAt: ['startedAt', 'starttime', 'startTime', 'start', 'calldate', 'entertime', 'createdAt'],
  answeredAt: ['answeredAt', 'answertime', 'answerTime', 'answer', 'connecttime'],
  endedAt: ['endedAt', 'endtime', 'endTime', 'end', 'closedAt', 'hanguptime', 'exittime'],

  waitSec: ['waitSec', 'holdtime', 'holdTime', 'waittime', 'waitTime', 'queuetime'],
  talkSec: ['talkSec', 'talktime', 'talkTime', 'billsec', 'billableseconds'],
  durationSec: ['durationSec', 'duration', 'totalDuration'],

  disposition: ['disposition', 'dispositionName', 'callDisposition', 'outcome'],
  recordingUrl: ['recordingUrl', 'recordingfile', 'recordingFile', 'recording', 'monitorFilename'],
  subject: ['subject', 'mail.subject', 'message.subject'],
  body: ['body', 'message', 'text', 'content', 'message.body', 'message.text', 'mail.body'],
  transcript: ['transcript', 'transcription'],
  tags: ['tags', 'interaction.tags'],
} as const;

/** Variables whose presence gives the channel away when `channel` is not sent (inferred from Motion's data model). */
export const CHANNEL_SIGNALS = [
  ['whatsapp', ['WhatsappAccountId', 'WhatsappInteractionId', 'WhatsappMessageId']],
  ['sms', ['SmsAccountId', 'SmsInteractionId', 'SmsMessageId']],
  ['openchannel', ['OpenchannelAccountId', 'OpenchannelInteractionId', 'OpenchannelMessageId']],
  ['fax', ['FaxAccountId', 'FaxInteractionId']],
  ['email', ['MailAccountId', 'MailInteractionId', 'MailMessageId']],
  ['chat', ['ChatWebsiteId', 'ChatInteractionId', 'ChatMessageId']],
  ['voice', ['uniqueid', 'linkedid', 'calleridnum', 'billsec', 'holdtime', 'talktime', 'membername', 'recordingfile']],
] as const;
