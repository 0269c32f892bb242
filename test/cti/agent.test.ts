import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import type { InteractionEvent } from '../../src/domain/interaction.ts';
import { CtiError } from '../../src/errors.ts';
import type { Job } from '../../src/store/types.ts';
import {
  amiOnDemandDialer,
  dialerFromSettings,
  eventIsForAgent,
  interactionView,
  loginDesignates,
  mergeNote,
  NOTE_HEADING,
  parseWrapUp,
  xcallyDialer,
  type AgentProfile,
} from '../../src/cti/agent/index.ts';
import { openCtiScriptUrl, salesforceOrigin } from '../../src/cti/origin.ts';
import { recordUrl, searchUrl } from '../../src/cti/pop.ts';
import { parseCtiSettings } from '../../src/cti/settings.ts';
import { ScriptedAmi } from '../sources/ami-server.ts';

const marta: AgentProfile = { key: 'k1', id: 'marta', email: 'marta.rossi@contactco.example', extension: '201', name: 'Marta Rossi' };

function event(id: string, type: string, occurredAt: string, interaction: Partial<InteractionEvent['interaction']> = {}): InteractionEvent {
  return { id, type, occurredAt, interaction: { id: 'call-1', channel: 'voice', direction: 'inbound', ...interaction } } as InteractionEvent;
}

function job(fields: Partial<Job>): Job {
  return {
    id: 1, key: 'k', eventId: 'e1', triggerId: 't', actionName: 'a', actionIndex: 0, kind: 'salesforce.findCustomer', account: 'acme', dependsOn: null,
    state: 'done', attempts: 1, runAt: '', leaseOwner: null, leaseUntil: null, result: null, errorCode: null, errorMessage: null,
    createdAt: '', updatedAt: '', finishedAt: '2026-11-28T10:00:01Z', ...fields,
  };
}

describe('agent identity', () => {
  test('an event is for the agent when its id, extension or email (any case) names them', () => {
    const named = (agent: InteractionEvent['interaction']['agent']) => eventIsForAgent(marta, event('e', 'voice.ringing', '2026-11-28T10:00:00Z', { agent }));
    assert.equal(named({ email: 'Marta.Rossi@ContactCo.example' }), true);
    assert.equal(named({ extension: '201' }), true);
    assert.equal(named({ id: 'marta' }), true);
    assert.equal(named({ extension: '202', email: 'luca@contactco.example' }), false);
    assert.equal(named(undefined), false);
  });

  test('sign-in names the agent by id, extension or email', () => {
    assert.equal(loginDesignates(marta, ' 201 '), true);
    assert.equal(loginDesignates(marta, 'MARTA.ROSSI@contactco.example'), true);
    assert.equal(loginDesignates(marta, 'luca'), false);
    assert.equal(loginDesignates(marta, ''), false);
  });
});

describe('interaction view', () => {
  test('merges the events and reads the matched record and the Task from the jobs', () => {
    const view = interactionView(
      [
        { event: event('e2', 'voice.ended', '2026-11-28T10:05:00Z', { endedAt: '2026-11-28T10:05:00Z', disposition: 'ANSWERED' }) },
        { event: event('e1', 'voice.ringing', '2026-11-28T10:00:00Z', { queue: 'support', customer: { phone: '+39 347 555 0101' }, agent: { extension: '201' } }) },
      ],
      [
        job({ kind: 'salesforce.findCustomer', result: { id: '003000000000001AAA', object: 'Contact', name: 'Anna Ferrari', matches: [{ id: '003000000000001AAA', object: 'Contact', name: 'Anna Ferrari' }] } }),
        job({ id: 2, kind: 'salesforce.logActivity', result: { id: '00T000000000009AAA', object: 'Task', created: true } }),
      ],
    );
    assert.ok(view);
    assert.equal(view.phase, 'ended');
    assert.equal(view.queue, 'support');
    assert.equal(view.customer.phone, '+39 347 555 0101');
    assert.deepEqual(view.record, { id: '003000000000001AAA', object: 'Contact', name: 'Anna Ferrari' });
    assert.equal(view.taskId, '00T000000000009AAA');
    assert.equal(view.account, 'acme');
    assert.equal(view.lookupPending, false);
  });

  test('a salesforceId sent by the contact center is the record; unfinished jobs say the answer may still come', () => {
    const view = interactionView(
      [{ event: event('e1', 'voice.ringing', '2026-11-28T10:00:00Z', { customer: { phone: '555', salesforceId: '00Q000000000001AAA' } }) }],
      [job({ state: 'pending', finishedAt: null }), job({ id: 2, kind: 'salesforce.logActivity', state: 'leased', finishedAt: null })],
    );
    assert.deepEqual(view?.record, { id: '00Q000000000001AAA', object: 'Lead', name: null });
    assert.equal(view?.lookupPending, true);
    assert.equal(view?.taskPending, true);
    assert.equal(interactionView([], []), null);
  });
});

describe('wrap-up', () => {
  test('the note becomes the last section of Description and replaces an earlier note, keeping what the trigger wrote', () => {
    const first = mergeNote('Inbound call, 240 s.', 'Wants a callback', 'Marta Rossi, 2026-11-28T10:06:00Z');
    assert.equal(first, `Inbound call, 240 s.\n\n${NOTE_HEADING}\nMarta Rossi, 2026-11-28T10:06:00Z\nWants a callback`);
    const second = mergeNote(first, 'Callback done', 'Marta Rossi, 2026-11-28T11:00:00Z');
    assert.equal(second.split(NOTE_HEADING).length, 2);
    assert.ok(second.startsWith('Inbound call, 240 s.') && second.endsWith('Callback done'));
    assert.equal(mergeNote(null, 'n', 's'), `${NOTE_HEADING}\ns\nn`);
  });

  test('needs a note or a disposition, and says which field is wrong', () => {
    assert.deepEqual(parseWrapUp({ note: ' hi ', disposition: '' }), { note: 'hi', disposition: '' });
    assert.throws(() => parseWrapUp({}), (e: unknown) => e instanceof CtiError && e.details?.field === 'note');
    assert.throws(() => parseWrapUp({ disposition: 'x'.repeat(300) }), (e: unknown) => e instanceof CtiError && e.details?.field === 'disposition');
  });
});

describe('Open CTI origin and pop links', () => {
  test('only Salesforce domains (or loopback) may supply Open CTI to the page', () => {
    assert.equal(salesforceOrigin('https://acme.lightning.force.com'), 'https://acme.lightning.force.com');
    assert.equal(salesforceOrigin('https://acme.my.salesforce.com/'), 'https://acme.my.salesforce.com');
    assert.equal(salesforceOrigin('http://127.0.0.1:9'), 'http://127.0.0.1:9');
    assert.equal(salesforceOrigin('http://acme.lightning.force.com'), null);
    assert.equal(salesforceOrigin('https://force.com.evil.example'), null);
    assert.equal(salesforceOrigin('https://evil.example/?x=.force.com'), null);
    assert.equal(salesforceOrigin('https://user@acme.my.salesforce.com'), null);
    assert.equal(salesforceOrigin('javascript:alert(1)'), null);
    assert.equal(openCtiScriptUrl('https://acme.lightning.force.com'), 'https://acme.lightning.force.com/support/api/62.0/lightning/opencti_min.js');
  });

  test('pop links open the record in Lightning, or a search for the number', () => {
    assert.equal(recordUrl('https://acme.lightning.force.com/', 'Contact', '003000000000001AAA'), 'https://acme.lightning.force.com/lightning/r/Contact/003000000000001AAA/view');
    assert.equal(recordUrl('https://acme.lightning.force.com', 'Contact', '../x'), null);
    assert.equal(searchUrl('https://acme.lightning.force.com', '+39 347 555 0101'), 'https://acme.lightning.force.com/_ui/search/ui/UnifiedSearchResults?searchType=2&str=%2B39%20347%20555%200101');
  });
});

describe('click-to-dial adapters', () => {
  test('without a dial adapter the agent is told what to set up', async () => {
    await assert.rejects(dialerFromSettings({ kind: 'none' }).dial({ number: '+39 347 555 0101', agent: marta }), (e: unknown) => e instanceof CtiError && e.code === 'CTI_DIAL_NOT_CONFIGURED');
    assert.throws(() => parseCtiSettings({ dial: { kind: 'xcally', url: 'ftp://x' } }), (e: unknown) => e instanceof CtiError && e.details?.field === 'dial.url');
  });

  test('XCALLY: one originate request with the number and the agent, credential from the environment', async () => {
    const received: Array<{ method?: string; url?: string; authorization?: string; body: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
        res.writeHead(req.headers.authorization === 'Bearer motion-key' ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'orig-7' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/originate/{number}?agent={extension}`;
      const settings = parseCtiSettings({ dial: { kind: 'xcally', url, authorizationEnv: 'MOTION_AUTH' } }).dial as Extract<ReturnType<typeof parseCtiSettings>['dial'], { kind: 'xcally' }>;
      const result = await xcallyDialer(settings, { MOTION_AUTH: 'Bearer motion-key' }).dial({ number: '+39 (347) 555-0101', agent: marta, recordId: '003000000000001AAA' });
      assert.equal(result.reference, 'orig-7');
      assert.equal(received[0].method, 'POST');
      assert.equal(received[0].url, '/api/originate/%2B393475550101?agent=201');
      assert.equal(JSON.parse(received[0].body).recordId, '003000000000001AAA');
      await assert.rejects(xcallyDialer(settings, { MOTION_AUTH: 'Bearer wrong' }).dial({ number: '1234', agent: marta }), (e: unknown) => e instanceof CtiError && e.code === 'CTI_DIAL_FAILED' && /401/.test(e.message) && !e.message.includes('wrong'));
      await assert.rejects(xcallyDialer(settings, {}).dial({ number: '1234', agent: marta }), (e: unknown) => e instanceof CtiError && e.code === 'CTI_DIAL_NOT_CONFIGURED' && e.message.includes('MOTION_AUTH'));
      await assert.rejects(xcallyDialer(settings, { MOTION_AUTH: 'x' }).dial({ number: '1234', agent: { key: 'k2', email: 'noext@contactco.example' } }), (e: unknown) => e instanceof CtiError && e.code === 'CTI_NO_EXTENSION');
      await assert.rejects(xcallyDialer(settings, { MOTION_AUTH: 'x' }).dial({ number: 'call me', agent: marta }), (e: unknown) => e instanceof CtiError && e.details?.field === 'number');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('Asterisk AMI: logs in, originates from the agent\'s extension to the number, logs off', async () => {
    const ami = new ScriptedAmi({ username: 'ctibridge', secret: 'ami-secret' });
    const port = await ami.listen();
    try {
      const settings = parseCtiSettings({ dial: { kind: 'ami', host: '127.0.0.1', port, username: 'ctibridge', secretEnv: 'AMI_SECRET', channelTemplate: 'PJSIP/{extension}', context: 'from-internal' } }).dial as Extract<ReturnType<typeof parseCtiSettings>['dial'], { kind: 'ami' }>;
      const result = await amiOnDemandDialer(settings, { AMI_SECRET: 'ami-secret' }).dial({ number: '+39 347 555 0101', agent: marta });
      assert.equal(result.adapter, 'ami');
      const [originate] = ami.actionsNamed('Originate');
      const field = (name: string) => originate.fields.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
      assert.equal(field('Channel'), 'PJSIP/201');
      assert.equal(field('Exten'), '+393475550101');
      assert.equal(field('Context'), 'from-internal');
    } finally {
      await ami.close();
    }
  });
});
