import { CtiError } from '../../errors.ts';
import { isLoopbackHost } from '../../domain/account.ts';
import type { LiveBus } from '../../pipeline/live.ts';
import type { OrgRegistry } from '../../pipeline/orgs.ts';
import type { Store } from '../../store/types.ts';
import { recordUrl, searchUrl } from '../pop.ts';
import { loadCtiSettings } from '../settings.ts';
import type { AmiSource } from '../../sources/ami/source.ts';
import { amiSourceDialer, dialableNumber, dialerFromSettings, type DialResult, type Dialer } from './dial.ts';
import { AgentDirectory } from './directory.ts';
import { subscribeAgent, type AgentNews } from './feed.ts';
import { lookupNumber } from './lookup.ts';
import { eventIsForAgent, type AgentProfile } from './profile.ts';
import { interactionView, isLookupJob, type InteractionView } from './view.ts';
import { saveWrapUp, type WrapUpResult } from './wrapup.ts';

/**
 * The agent's side of ctibridge, independent of how it is shown: sign-in, live news, the interaction as
 * ctibridge knows it, click-to-dial and wrap-up. The Open CTI softphone is one front end over it; a Service
 * Cloud Voice Partner Telephony connector would be another.
 */

export interface AgentDeskDeps {
  store: Store;
  orgs: OrgRegistry;
  live: LiveBus;
  defaultRegion: string;
  /** A dialer wired in code (e.g. the running AMI source); otherwise the CTI settings choose one. */
  dialer?: Dialer;
  /** The service's running AMI sources (`SourceRunner`): an AMI dial reuses a connected one. */
  dialSources?: { dialSource(name?: string): AmiSource | undefined };
  env?: NodeJS.ProcessEnv;
  waitForTaskMs?: number;
}

export interface PopTarget {
  url: string;
  kind: 'record' | 'search';
}

export class AgentDesk {
  readonly agents: AgentDirectory;

  constructor(private readonly deps: AgentDeskDeps) {
    this.agents = new AgentDirectory(deps.store.settings);
  }

  signIn(login: string, token: string): Promise<AgentProfile | null> {
    return this.agents.signIn(login, token);
  }

  authenticate(token: string | undefined): Promise<AgentProfile | null> {
    return this.agents.byToken(token);
  }

  subscribe(agent: AgentProfile, deliver: (news: AgentNews) => void): () => void {
    return subscribeAgent(this.deps.live, agent, deliver);
  }

  /** The interaction as ctibridge knows it; only for an agent named by one of its events. */
  async interaction(agent: AgentProfile, interactionId: string): Promise<InteractionView> {
    const events = await this.deps.store.events.list({ interactionId, limit: 1000 });
    if (!events.some((e) => eventIsForAgent(agent, e.event))) {
      throw new CtiError('CTI_NOT_FOUND', `no interaction "${interactionId}" for this agent`);
    }
    const jobs = await this.deps.store.jobs.list({ interactionId, limit: 1000 });
    const view = interactionView(events, jobs);
    if (!view) throw new CtiError('CTI_NOT_FOUND', `no interaction "${interactionId}" for this agent`);
    return view;
  }

  async dial(agent: AgentProfile, request: { number?: unknown; recordId?: unknown; objectType?: unknown }): Promise<DialResult> {
    const number = dialableNumber(typeof request.number === 'string' ? request.number : '');
    const dialer = this.deps.dialer ?? (await this.settingsDialer());
    return dialer.dial({
      number,
      agent,
      recordId: typeof request.recordId === 'string' ? request.recordId : undefined,
      objectType: typeof request.objectType === 'string' ? request.objectType : undefined,
    });
  }

  /**
   * The dialer the CTI settings choose. For AMI, a source the service already keeps logged in is preferred:
   * no login per call (each one is logged by Asterisk, and fail2ban counts the failures), and the call rings
   * at once. Without a connected source, the settings' own login is used.
   */
  private async settingsDialer(): Promise<Dialer> {
    const settings = (await loadCtiSettings(this.deps.store.settings)).dial;
    const running = settings.kind === 'ami' ? this.deps.dialSources?.dialSource() : undefined;
    return running ? amiSourceDialer(running) : dialerFromSettings(settings, this.deps.env);
  }

  async wrapUp(agent: AgentProfile, interactionId: string, input: unknown): Promise<WrapUpResult> {
    await this.interaction(agent, interactionId);
    return saveWrapUp({ store: this.deps.store, orgs: this.deps.orgs, waitForTaskMs: this.deps.waitForTaskMs }, interactionId, agent, input);
  }

  /** Where the org's pages live for an account: the configured Lightning URL, else a My Domain login URL. */
  async orgUrl(account: string): Promise<string | null> {
    const settings = await loadCtiSettings(this.deps.store.settings);
    if (settings.orgUrls[account]) return settings.orgUrls[account];
    const stored = await this.deps.store.accounts.get(account);
    if (!stored) return null;
    const login = new URL(stored.config.loginUrl);
    const generic = login.hostname === 'login.salesforce.com' || login.hostname === 'test.salesforce.com';
    return generic && !isLoopbackHost(login.hostname) ? null : login.origin;
  }

  /**
   * Pop link without a softphone: the matched record, else a live lookup of the number, else Salesforce's
   * search for it. The account is the one the interaction's jobs used, or the only one registered.
   */
  async popTarget(interactionId: string, accountHint?: string): Promise<PopTarget> {
    const events = await this.deps.store.events.list({ interactionId, limit: 1000 });
    const jobs = await this.deps.store.jobs.list({ interactionId, limit: 1000 });
    const view = interactionView(events, jobs);
    if (!view) throw new CtiError('CTI_NOT_FOUND', `no interaction "${interactionId}" has reached ctibridge yet`);
    const accounts = await this.deps.store.accounts.list();
    const account = view.account ?? accountHint ?? (accounts.length === 1 ? accounts[0].config.name : null);
    if (!account) throw new CtiError('CTI_NO_ACCOUNT', 'several Salesforce accounts are registered: add ?account=NAME to the pop link');
    const base = await this.orgUrl(account);
    if (!base) throw new CtiError('CTI_NO_ORG_URL', `set the Lightning URL of account "${account}" in the CTI settings (orgUrls) for pop links`);

    let record = view.record;
    const number = view.customer.phone;
    // A live lookup only when no trigger looks this caller up; one that found nothing is not asked twice.
    if (!record && number && !jobs.some(isLookupJob)) {
      const org = await this.deps.orgs.get(account);
      if (org) record = (await lookupNumber(org.api, number, this.deps.defaultRegion)).record;
    }
    if (record?.object) {
      const url = recordUrl(base, record.object, record.id);
      if (url) return { url, kind: 'record' };
    }
    const term = number ?? view.customer.email ?? view.customer.name;
    if (!term) throw new CtiError('CTI_NOT_FOUND', 'this interaction names no customer number, email or name to search for');
    return { url: searchUrl(base, term), kind: 'search' };
  }
}
