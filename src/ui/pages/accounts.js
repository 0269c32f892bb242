/* global confirm, location -- the admin UI runs in the browser */
import { h, clear, field, select, badge, notice } from '../dom.js';
import { problemsOf } from '../api.js';

const FLOWS = [
  ['password', 'Username and password (+ security token)'],
  ['webServer', 'Connect with Salesforce (web-server flow, refresh token)'],
  ['clientCredentials', 'Client credentials (Connected App run-as user)'],
  ['jwtBearer', 'JWT bearer (certificate)'],
];

const HELP = {
  name: 'A short name that triggers use to pick this org: letters, digits, "-" or "_", starting with a letter.',
  loginUrl: 'https://login.salesforce.com for production and Developer Edition, https://test.salesforce.com for a sandbox, or the org\'s My Domain https://NAME.my.salesforce.com (Setup → My Domain).',
  apiVersion: 'REST API version, e.g. 62.0. Leave as is unless your org requires another.',
  flow: 'How ctibridge logs in. The web-server flow needs no stored password: you approve access once in Salesforce.',
  clientId: 'Consumer Key of the Connected App: Setup → App Manager → your Connected App → View → Manage Consumer Details (Salesforce asks for a verification code).',
  clientSecret: 'Consumer Secret, on the same Manage Consumer Details page. Stored encrypted; never shown again.',
  username: 'The Salesforce username ctibridge acts as (an integration user with API access is best).',
  password: 'That user\'s password. Stored encrypted.',
  securityToken: 'Personal settings → Reset My Security Token (emailed to the user). A password change resets it. If the reset link is missing, the profile has Login IP Ranges: open /_ui/system/security/ResetApiTokenEdit, or leave empty when this server is in a trusted IP range.',
  privateKey: 'PEM private key matching the certificate uploaded under "Use digital signatures" in the Connected App. The user must be pre-authorized (Manage → Edit Policies → Admin approved users).',
  jwtUsername: 'The pre-authorized user the JWT asserts.',
  fallbackOwner: 'Username or email of the user who owns records when the agent has no Salesforce user.',
  externalIdField: 'Optional: an External ID field that makes creates idempotent upserts (e.g. Interaction_Id__c).',
  apiShare: 'Share of the org\'s daily API limit ctibridge may spend (0.2 = 20%). Past it, only urgent work goes out.',
  webServer: 'Add the callback URL below to the Connected App (Edit → API (Enable OAuth Settings) → Callback URL), with the scopes "Manage user data via APIs (api)" and "Perform requests at any time (refresh_token, offline_access)". Then save and press Connect with Salesforce.',
};

const SECRET_NAMES = ['clientSecret', 'password', 'securityToken', 'privateKey'];

export async function render(main, params, { api }) {
  const messages = h('div', {});
  const list = h('div', {});
  const formHost = h('div', {});
  main.append(messages, h('div', { class: 'row spread' }, h('p', { class: 'muted' }, 'Salesforce orgs that triggers write to. Secrets are encrypted at rest and never shown again.'),
    h('button', { type: 'button', class: 'primary', onclick: () => openForm(null) }, 'Add account')), formHost, list);

  if (params.get('connected')) messages.append(notice('ok', `Account ${params.get('account')} is connected to Salesforce. Run Test connection to check it.`));
  if (params.get('oauthError')) messages.append(notice('error', params.get('oauthError')));
  const settings = await api.get('/api/settings');

  async function load() {
    const accounts = await api.get('/api/accounts');
    clear(list, accounts.length === 0 ? h('div', { class: 'card' }, 'No account yet. Add one to start writing to Salesforce.') : accounts.map(accountCard));
  }

  function accountCard(account) {
    const results = h('div', { 'aria-live': 'polite' });
    const connected = account.auth.flow !== 'webServer' || account.auth.refreshToken?.set;
    const card = h('section', { class: 'card', 'aria-labelledby': `acct-${account.name}`, dataset: { account: account.name } },
      h('div', { class: 'row spread' },
        h('div', {}, h('h2', { id: `acct-${account.name}` }, account.name, ' ', connected ? badge('ready', 'ok') : badge('not connected', 'warn')),
          h('dl', { class: 'kv small' }, h('dt', {}, 'Login URL'), h('dd', {}, account.loginUrl), h('dt', {}, 'Flow'), h('dd', {}, FLOWS.find((f) => f[0] === account.auth.flow)?.[1] ?? account.auth.flow),
            account.auth.username ? [h('dt', {}, 'User'), h('dd', {}, account.auth.username)] : null,
            h('dt', {}, 'Fallback owner'), h('dd', {}, account.fallbackOwner ?? '–'))),
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'primary', onclick: (e) => test(account.name, results, e.currentTarget) }, 'Test connection'),
          account.auth.flow === 'webServer' ? h('button', { type: 'button', class: 'connect', onclick: () => connect(account.name, results) }, connected ? 'Reconnect with Salesforce' : 'Connect with Salesforce') : null,
          h('button', { type: 'button', onclick: () => openForm(account) }, 'Edit'),
          h('button', { type: 'button', class: 'danger', onclick: () => remove(account.name) }, 'Delete'))),
      results);
    return card;
  }

  async function test(name, results, button) {
    button.disabled = true;
    clear(results, h('p', { class: 'muted' }, 'Testing…'));
    try {
      const report = await api.post(`/api/accounts/${encodeURIComponent(name)}/test`);
      clear(results,
        h('p', { class: 'test-verdict' }, report.ok ? badge('pass') : badge('fail'), ' ', report.ok ? 'Every check passed.' : 'Some checks failed: see the fix under each.'),
        h('ul', { class: 'checks', 'aria-label': 'Connection checks' }, (report.checks ?? []).map((check) => h('li', { dataset: { check: check.id, status: check.status } },
          h('span', {}, badge(check.status)),
          h('div', {}, h('strong', {}, check.title), check.detail ? h('p', { class: 'detail' }, check.detail) : null, check.fix && check.status !== 'pass' ? h('p', { class: 'fix' }, check.fix) : null)))));
    } catch (err) {
      clear(results, notice('error', err.message));
    } finally {
      button.disabled = false;
    }
  }

  async function connect(name, results) {
    try {
      const started = await api.post(`/api/accounts/${encodeURIComponent(name)}/connect`);
      location.assign(started.authorizeUrl);
    } catch (err) {
      clear(results, notice('error', err.message));
    }
  }

  async function remove(name) {
    if (!confirm(`Delete account ${name}? Triggers that use it will fail until you point them elsewhere.`)) return;
    await api.del(`/api/accounts/${encodeURIComponent(name)}`);
    await load();
  }

  function openForm(account) {
    const editing = Boolean(account);
    const value = (path, fallback = '') => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), account) ?? fallback;
    const inputs = {
      name: h('input', { name: 'name', value: value('name'), required: true, readonly: editing, autocomplete: 'off' }),
      loginUrl: h('input', { name: 'loginUrl', value: value('loginUrl', 'https://login.salesforce.com'), required: true, list: 'login-urls', autocomplete: 'url' }),
      apiVersion: h('input', { name: 'apiVersion', value: value('apiVersion', '62.0') }),
      flow: select(FLOWS, value('auth.flow', 'password'), { name: 'flow' }),
      clientId: h('input', { name: 'clientId', value: value('auth.clientId'), autocomplete: 'off' }),
      clientSecret: h('input', { name: 'clientSecret', type: 'password', autocomplete: 'new-password' }),
      username: h('input', { name: 'username', value: value('auth.username'), autocomplete: 'off' }),
      password: h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }),
      securityToken: h('input', { name: 'securityToken', type: 'password', autocomplete: 'off' }),
      privateKey: h('textarea', { name: 'privateKey', class: 'code', placeholder: '-----BEGIN PRIVATE KEY-----' }),
      fallbackOwner: h('input', { name: 'fallbackOwner', value: value('fallbackOwner'), autocomplete: 'off' }),
      externalIdField: h('input', { name: 'externalIdField', value: value('externalIdField'), autocomplete: 'off' }),
      apiShare: h('input', { name: 'apiShare', type: 'number', min: '0.01', max: '1', step: '0.01', value: value('apiShare', 0.2) }),
    };
    for (const name of SECRET_NAMES) {
      if (account?.auth?.[name]?.set) inputs[name].placeholder = 'saved (leave empty to keep)';
    }
    const byFlow = {
      password: ['clientId', 'clientSecret', 'username', 'password', 'securityToken'],
      webServer: ['clientId', 'clientSecret'],
      clientCredentials: ['clientId', 'clientSecret'],
      jwtBearer: ['clientId', 'username', 'privateKey'],
    };
    const labels = { clientId: 'Consumer Key (client id)', clientSecret: 'Consumer Secret', username: 'Username', password: 'Password', securityToken: 'Security token', privateKey: 'Private key (PEM)' };
    const authBox = h('fieldset', {});
    const drawAuth = () => {
      const flow = inputs.flow.value;
      clear(authBox, h('legend', {}, 'Connected App credentials'),
        flow === 'webServer' ? h('p', { class: 'help' }, HELP.webServer, ' Callback URL: ', h('code', {}, settings.oauthCallbackUrl)) : null,
        h('div', { class: 'form-grid' }, byFlow[flow].map((name) => field(labels[name], inputs[name], name === 'username' && flow === 'jwtBearer' ? HELP.jwtUsername : HELP[name]))));
    };
    inputs.flow.addEventListener('change', drawAuth);
    drawAuth();
    const error = h('div', { class: 'form-error', role: 'alert' });
    const form = h('form', { class: 'card', 'aria-label': editing ? `Edit account ${account.name}` : 'New account', onsubmit: async (e) => {
      e.preventDefault();
      const flow = inputs.flow.value;
      const auth = { flow };
      for (const name of byFlow[flow]) if (inputs[name].value !== '') auth[name] = inputs[name].value;
      const payload = {
        name: inputs.name.value.trim(), loginUrl: inputs.loginUrl.value.trim(), apiVersion: inputs.apiVersion.value.trim() || undefined, auth,
        fallbackOwner: inputs.fallbackOwner.value.trim() || null, externalIdField: inputs.externalIdField.value.trim() || null, apiShare: Number(inputs.apiShare.value) || 0.2,
      };
      try {
        if (editing) await api.put(`/api/accounts/${encodeURIComponent(account.name)}`, payload);
        else await api.post('/api/accounts', payload);
        clear(formHost);
        clear(messages, notice('ok', `Account ${payload.name} saved.${flow === 'webServer' ? ' Now press Connect with Salesforce.' : ' Press Test connection to check it.'}`));
        await load();
      } catch (err) {
        clear(error, h('ul', {}, problemsOf(err).map((p) => h('li', {}, p))));
      }
    } },
    h('h2', {}, editing ? `Edit ${account.name}` : 'New Salesforce account'),
    h('datalist', { id: 'login-urls' }, ['https://login.salesforce.com', 'https://test.salesforce.com'].map((u) => h('option', { value: u }))),
    h('div', { class: 'form-grid' }, field('Name', inputs.name, HELP.name), field('Login URL', inputs.loginUrl, HELP.loginUrl), field('Login flow', inputs.flow, HELP.flow), field('API version', inputs.apiVersion, HELP.apiVersion)),
    authBox,
    h('fieldset', {}, h('legend', {}, 'Records'), h('div', { class: 'form-grid' }, field('Fallback owner', inputs.fallbackOwner, HELP.fallbackOwner), field('External ID field', inputs.externalIdField, HELP.externalIdField), field('API share', inputs.apiShare, HELP.apiShare))),
    error,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Save account'), h('button', { type: 'button', onclick: () => clear(formHost) }, 'Cancel')));
    clear(formHost, form);
    inputs[editing ? 'loginUrl' : 'name'].focus();
  }

  await load();
}
