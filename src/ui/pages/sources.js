/* global CSS, confirm, document -- the admin UI runs in the browser */
import { h, clear, field, badge, notice, formatTime } from '../dom.js';
import { problemsOf } from '../api.js';

// What each connection state means to the admin, and how loudly to show it.
const STATES = {
  connected: ['connected', 'ok', 'Logged in to the AMI: calls are being heard.'],
  connecting: ['connecting', 'warn', 'Opening the connection and logging in.'],
  waiting: ['reconnecting', 'warn', 'The link dropped or Asterisk stopped answering Ping: trying again (up to 60 s apart).'],
  failed: ['login refused', 'fail', 'Asterisk refused the login: fix the username, the secret or the permit/deny lines in manager.conf, then save. A refused login is not retried, so fail2ban does not ban this host.'],
  idle: ['starting', 'warn', 'Starting.'],
  closed: ['stopped', 'stopped', 'Not connected.'],
  stopped: ['stopped', 'stopped', 'Not connected.'],
};

const HELP = {
  name: 'How the log and the API call this source: letters, digits, "-" or "_", starting with a letter.',
  host: 'The Asterisk server (host name or IP address, no scheme or port). Its manager.conf must permit this ctibridge host.',
  port: 'The AMI port: "port" under [general] in manager.conf, 5038 by default.',
  username: 'The manager user: the [section] name in manager.conf (on FreePBX: Settings → Asterisk Manager Users). It needs read = call,agent,cdr,dialplan and write = originate.',
  secret: 'That user\'s "secret" in manager.conf. Stored encrypted; never shown again.',
  enabled: 'Unticked keeps the settings but logs off.',
  trunkChannelPrefixes: 'Channel names of your trunks, comma separated (e.g. PJSIP/telco-). A call that starts on a trunk is inbound; one from an extension that reaches a trunk is outbound. Set it: it is the most reliable rule.',
  inboundContexts: 'Dialplan contexts where outside calls enter, comma separated. Empty: from-pstn, from-trunk and FreePBX\'s other inbound contexts.',
  outboundContexts: 'Contexts of the agents\' phones, comma separated. Empty: from-internal.',
  internalExtensionPattern: 'A number dialed from an extension that matches is another extension (an internal call). Empty: ^\\d{2,5}$',
  recordingBaseUrl: 'Where recordings are served over HTTP(S), e.g. https://pbx.example.com/recordings. Empty: no recording link.',
  channelTemplate: 'The agent\'s phone for click-to-dial; {extension} is replaced. PJSIP/{extension} rings the device; on FreePBX Local/{extension}@from-internal follows the user\'s settings.',
  context: 'Where the number is dialed once the agent answers. Empty: from-internal.',
};

const LIST_RULES = ['trunkChannelPrefixes', 'inboundContexts', 'outboundContexts'];
const TEXT_RULES = ['internalExtensionPattern', 'recordingBaseUrl'];

const MANAGER_CONF = `[general]
enabled = yes
port = 5038
timestampevents = yes   ; event times from Asterisk, not arrival times

[ctibridge]
secret = use-a-long-random-secret
deny = 0.0.0.0/0.0.0.0
permit = <this ctibridge host>/255.255.255.255
read = call,agent,cdr,dialplan
write = originate`;

function stateOf(source) {
  if (!source.enabled) return ['disabled', 'stopped', 'Disabled: the settings are kept, the connection is closed.'];
  return STATES[source.status.state] ?? [source.status.state, 'warn', ''];
}

/** The settings as PUT takes them back: everything but the secret (kept when left out) and the status. */
function settingsOf(source) {
  const { name, type, host, port, username, rules, originate, enabled } = source;
  return { name, type, host, port, username, rules, originate, enabled };
}

const splitList = (text) => text.split(',').map((item) => item.trim()).filter(Boolean);

export async function render(main, _params, { api }) {
  const messages = h('div', {});
  const formHost = h('div', {});
  const list = h('div', {});
  main.append(messages,
    h('div', { class: 'row spread' },
      h('p', { class: 'muted' }, 'Asterisk servers (Asterisk, FreePBX, XCALLY Motion) that ctibridge listens to over the Asterisk Manager Interface. Their calls become interaction events; click-to-dial uses their connection. Secrets are encrypted at rest and never shown again.'),
      h('button', { type: 'button', class: 'primary', onclick: () => openForm(null) }, 'Add source')),
    formHost, list);

  // Cards are drawn once per configuration; the poll only rewrites what changed in their status.
  let drawn = '';
  const statusHosts = new Map();

  async function load() {
    const sources = await api.get('/api/sources');
    const configuration = JSON.stringify(sources.map((source) => [source.name, source.updatedAt, source.enabled]));
    if (configuration !== drawn) {
      drawn = configuration;
      statusHosts.clear();
      const focused = document.activeElement?.dataset?.focusKey;
      clear(list, sources.length === 0 ? h('div', { class: 'card' }, 'No source yet. Add your Asterisk server to hear its calls.') : sources.map(sourceCard));
      if (focused) list.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
    }
    for (const source of sources) {
      const host = statusHosts.get(source.name);
      const next = JSON.stringify([source.enabled, source.status]);
      if (host && host.dataset.shown !== next) {
        host.dataset.shown = next;
        clear(host, statusView(source));
      }
    }
  }

  function statusView(source) {
    const [label, kind, meaning] = stateOf(source);
    const { trackedCalls, buffered, lastError } = source.status;
    return [
      h('p', { class: 'row' }, h('span', { dataset: { state: source.enabled ? source.status.state : 'disabled' } }, badge(label, kind)), h('span', { class: 'muted small' }, meaning)),
      h('dl', { class: 'kv small' },
        h('dt', {}, 'Calls in progress'), h('dd', {}, String(trackedCalls)),
        h('dt', {}, 'Events waiting for the store'), h('dd', {}, String(buffered)),
        lastError ? [h('dt', {}, 'Last store error'), h('dd', {}, lastError)] : null),
    ];
  }

  function sourceCard(source) {
    const headingId = `source-${source.name}`;
    const status = h('div', { 'aria-live': 'polite', dataset: { shown: '' } });
    statusHosts.set(source.name, status);
    const rules = source.rules ?? {};
    return h('section', { class: 'card', 'aria-labelledby': headingId, dataset: { source: source.name } },
      h('div', { class: 'row spread' },
        h('div', {},
          h('h2', { id: headingId }, source.name),
          h('dl', { class: 'kv small' },
            h('dt', {}, 'Address'), h('dd', {}, `${source.host}:${source.port}`),
            h('dt', {}, 'Manager user'), h('dd', {}, source.username),
            h('dt', {}, 'Secret'), h('dd', {}, source.secret?.set ? 'saved' : 'missing'),
            h('dt', {}, 'Trunks'), h('dd', {}, rules.trunkChannelPrefixes?.length ? rules.trunkChannelPrefixes.join(', ') : '– (set them, see Edit)'),
            h('dt', {}, 'Changed'), h('dd', {}, formatTime(source.updatedAt)))),
        h('div', { class: 'row' },
          h('button', { type: 'button', dataset: { focusKey: `${source.name}:toggle` }, onclick: () => toggle(source) }, source.enabled ? 'Disable' : 'Enable'),
          h('button', { type: 'button', dataset: { focusKey: `${source.name}:edit` }, onclick: () => openForm(source) }, 'Edit'),
          h('button', { type: 'button', class: 'danger', onclick: () => remove(source.name) }, 'Delete'))),
      status);
  }

  async function act(work, done) {
    try {
      await work();
      if (done) clear(messages, notice('ok', done));
    } catch (err) {
      clear(messages, notice('error', problemsOf(err).join('; ')));
    }
    await load();
  }

  function toggle(source) {
    const enabled = !source.enabled;
    return act(() => api.put(`/api/sources/${encodeURIComponent(source.name)}`, { ...settingsOf(source), enabled }),
      enabled ? `Source ${source.name} enabled: connecting.` : `Source ${source.name} disabled: logged off.`);
  }

  function remove(name) {
    if (!confirm(`Delete source ${name}? ctibridge logs off and stops hearing its calls.`)) return undefined;
    return act(() => api.del(`/api/sources/${encodeURIComponent(name)}`), `Source ${name} deleted.`);
  }

  function openForm(source) {
    const editing = Boolean(source);
    const rules = source?.rules ?? {};
    const originate = source?.originate ?? {};
    const inputs = {
      name: h('input', { name: 'name', value: source?.name ?? '', required: true, readonly: editing, autocomplete: 'off' }),
      host: h('input', { name: 'host', value: source?.host ?? '', required: true, autocomplete: 'off', placeholder: 'pbx.example.com' }),
      port: h('input', { name: 'port', type: 'number', min: '1', max: '65535', value: source?.port ?? 5038, required: true }),
      username: h('input', { name: 'username', value: source?.username ?? '', required: true, autocomplete: 'off', placeholder: 'ctibridge' }),
      secret: h('input', { name: 'secret', type: 'password', autocomplete: 'new-password', required: !editing, placeholder: source?.secret?.set ? 'saved (leave empty to keep)' : '' }),
      enabled: h('input', { name: 'enabled', type: 'checkbox', checked: source?.enabled ?? true }),
      ...Object.fromEntries(LIST_RULES.map((key) => [key, h('input', { name: key, value: (rules[key] ?? []).join(', '), autocomplete: 'off' })])),
      ...Object.fromEntries(TEXT_RULES.map((key) => [key, h('input', { name: key, value: rules[key] ?? '', autocomplete: 'off' })])),
      channelTemplate: h('input', { name: 'channelTemplate', value: originate.channelTemplate ?? '', placeholder: 'PJSIP/{extension}', autocomplete: 'off' }),
      context: h('input', { name: 'context', value: originate.context ?? '', placeholder: 'from-internal', autocomplete: 'off' }),
    };
    inputs.trunkChannelPrefixes.placeholder = 'PJSIP/telco-';
    inputs.recordingBaseUrl.type = 'url';

    const payload = () => {
      // Rules this form does not show (cdrWaitMs, recordingDirectory…) are kept as they were.
      const nextRules = { ...rules };
      for (const key of LIST_RULES) {
        const values = splitList(inputs[key].value);
        if (values.length) nextRules[key] = values;
        else delete nextRules[key];
      }
      for (const key of TEXT_RULES) {
        const value = inputs[key].value.trim();
        if (value) nextRules[key] = value;
        else delete nextRules[key];
      }
      const nextOriginate = { ...originate };
      for (const key of ['channelTemplate', 'context']) {
        const value = inputs[key].value.trim();
        if (value) nextOriginate[key] = value;
        else delete nextOriginate[key];
      }
      const body = {
        name: inputs.name.value.trim(), type: 'ami', host: inputs.host.value.trim(), port: Number(inputs.port.value) || 5038,
        username: inputs.username.value.trim(), rules: nextRules, originate: nextOriginate, enabled: inputs.enabled.checked,
      };
      if (inputs.secret.value !== '') body.secret = inputs.secret.value;
      return body;
    };

    const error = h('div', { class: 'form-error', role: 'alert' });
    const close = () => {
      clear(formHost);
      main.querySelector('button.primary')?.focus();
    };
    const form = h('form', { class: 'card', 'aria-labelledby': 'source-form-title', onsubmit: async (e) => {
      e.preventDefault();
      const body = payload();
      try {
        if (editing) await api.put(`/api/sources/${encodeURIComponent(source.name)}`, body);
        else await api.post('/api/sources', body);
        // The form and its secret field go away: the secret is not kept in the page.
        clear(formHost);
        clear(messages, notice('ok', `Source ${body.name} saved${body.enabled ? ': connecting to Asterisk' : ' (disabled)'}.`));
        await load();
      } catch (err) {
        clear(error, h('ul', {}, problemsOf(err).map((problem) => h('li', {}, problem))));
      }
    }, onkeydown: (e) => {
      if (e.key === 'Escape') close();
    } },
    h('h2', { id: 'source-form-title' }, editing ? `Edit ${source.name}` : 'New AMI source'),
    h('details', { open: !editing },
      h('summary', {}, 'On Asterisk: a manager user for ctibridge'),
      h('p', { class: 'help' }, 'In /etc/asterisk/manager.conf (FreePBX: Settings → Asterisk Manager Users, or manager_custom.conf), then run asterisk -rx "manager reload". ',
        'timestampevents = yes gives each event Asterisk\'s own time; without it, times are when ctibridge heard the event. More in docs/asterisk.md.'),
      h('pre', { 'aria-label': 'Example manager.conf' }, MANAGER_CONF)),
    h('fieldset', {}, h('legend', {}, 'Connection'),
      h('div', { class: 'form-grid' },
        field('Name', inputs.name, HELP.name), field('Host', inputs.host, HELP.host), field('Port', inputs.port, HELP.port),
        field('Manager username', inputs.username, HELP.username), field('Manager secret', inputs.secret, HELP.secret),
        h('div', { class: 'field' }, h('label', { class: 'row' }, inputs.enabled, 'Enabled'), h('p', { class: 'help' }, HELP.enabled)))),
    h('fieldset', {}, h('legend', {}, 'Call rules'),
      h('div', { class: 'form-grid' },
        field('Trunk channel prefixes', inputs.trunkChannelPrefixes, HELP.trunkChannelPrefixes), field('Inbound contexts', inputs.inboundContexts, HELP.inboundContexts),
        field('Outbound contexts', inputs.outboundContexts, HELP.outboundContexts), field('Internal extension pattern', inputs.internalExtensionPattern, HELP.internalExtensionPattern),
        field('Recording base URL', inputs.recordingBaseUrl, HELP.recordingBaseUrl))),
    h('fieldset', {}, h('legend', {}, 'Click-to-dial'),
      h('div', { class: 'form-grid' }, field('Agent phone channel', inputs.channelTemplate, HELP.channelTemplate), field('Dial context', inputs.context, HELP.context))),
    error,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Save source'), h('button', { type: 'button', onclick: close }, 'Cancel')));
    clear(formHost, form);
    inputs[editing ? 'host' : 'name'].focus();
  }

  await load();
  // Connection states change on their own (login, drops, reconnects): keep them current.
  const timer = setInterval(() => load().catch(() => {}), 2000);
  return () => clearInterval(timer);
}
