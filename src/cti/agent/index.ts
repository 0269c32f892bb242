/** The agent module: everything an agent-facing front end (Open CTI, Service Cloud Voice) builds on. */
export { AgentDesk, type AgentDeskDeps, type PopTarget } from './desk.ts';
export { AgentDirectory, bearerToken } from './directory.ts';
export { subscribeAgent, type AgentNews } from './feed.ts';
export { eventIsForAgent, loginDesignates, type AgentProfile, type AgentInput } from './profile.ts';
export { interactionView, summarize, type InteractionView, type InteractionSummary, type RecordRef } from './view.ts';
export { amiSourceDialer, amiOnDemandDialer, xcallyDialer, noDialer, dialerFromSettings, dialableNumber, type Dialer, type DialRequest, type DialResult } from './dial.ts';
export { saveWrapUp, mergeNote, parseWrapUp, NOTE_HEADING, type WrapUpInput, type WrapUpResult } from './wrapup.ts';
export { lookupNumber } from './lookup.ts';
