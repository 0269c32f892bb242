import { h, clear, notice, formatTime, field } from '../dom.js';
import { currentUser, problemsOf } from '../api.js';

export async function render(main, _params, { api }) {
  const messages = h('div', {});
  const adminsHost = h('div', {});
  const tokensHost = h('div', {});
  const settings = await api.get('/api/settings');
  main.append(messages,
    h('section', { class: 'card', 'aria-labelledby': 'svc' }, h('h2', { id: 'svc' }, 'Service'),
      settings.demo ? notice('info', 'Demo mode: account "demo" is the bundled emulated Salesforce org.') : null,
      h('dl', { class: 'kv' }, h('dt', {}, 'Storage'), h('dd', {}, settings.storage), h('dt', {}, 'OAuth callback URL'), h('dd', {}, h('code', {}, settings.oauthCallbackUrl)),
        Object.entries(settings.config).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v === undefined || v === null ? '–' : String(v))])),
      h('p', { class: 'help' }, 'Change these with environment variables or command-line flags, then restart.')),
    h('section', { class: 'card', 'aria-labelledby': 'admins' }, h('h2', { id: 'admins' }, 'Admin users'), adminsHost),
    h('section', { class: 'card', 'aria-labelledby': 'tokens' }, h('h2', { id: 'tokens' }, 'API tokens'),
      h('p', { class: 'help' }, 'For scripts: send Authorization: Bearer <token> to /api/… (see ', h('a', { href: '/api/openapi.json' }, 'the OpenAPI document'), '). The service admin token keeps working too.'), tokensHost));

  async function loadAdmins() {
    const admins = await api.get('/api/admins');
    const username = h('input', { name: 'new-admin', autocomplete: 'off' });
    const password = h('input', { name: 'new-admin-password', type: 'password', autocomplete: 'new-password' });
    const mine = h('input', { name: 'my-password', type: 'password', autocomplete: 'new-password' });
    clear(adminsHost,
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'User'), h('th', {}, 'Created'), h('th', {}, ''))), h('tbody', {}, admins.map((a) => h('tr', {}, h('td', {}, a.username), h('td', {}, formatTime(a.createdAt)),
        h('td', {}, a.username === currentUser()?.username ? h('span', { class: 'muted' }, 'you') : h('button', { type: 'button', class: 'danger', onclick: async () => { try { await api.del(`/api/admins/${encodeURIComponent(a.username)}`); loadAdmins(); } catch (err) { clear(messages, notice('error', err.message)); } } }, 'Remove')))))),
      h('form', { class: 'row', onsubmit: async (e) => { e.preventDefault(); try { await api.post('/api/admins', { username: username.value, password: password.value }); clear(messages, notice('ok', `Admin ${username.value} created.`)); loadAdmins(); } catch (err) { clear(messages, notice('error', problemsOf(err).join('; '))); } } },
        field('New admin username', username), field('Password', password), h('button', { type: 'submit' }, 'Add admin')),
      currentUser() ? h('form', { class: 'row', onsubmit: async (e) => { e.preventDefault(); try { await api.put(`/api/admins/${encodeURIComponent(currentUser().username)}/password`, { password: mine.value }); mine.value = ''; clear(messages, notice('ok', 'Your password was changed.')); } catch (err) { clear(messages, notice('error', err.message)); } } },
        field('Change my password', mine, 'At least 10 characters.'), h('button', { type: 'submit' }, 'Change password')) : null);
  }

  async function loadTokens() {
    const tokens = await api.get('/api/tokens');
    const name = h('input', { name: 'token-name', placeholder: 'what it is for, e.g. nightly export' });
    const shown = h('div', { 'aria-live': 'polite' });
    clear(tokensHost, shown,
      tokens.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Created'), h('th', {}, 'By'), h('th', {}, ''))), h('tbody', {}, tokens.map((t) => h('tr', {}, h('td', {}, t.name), h('td', {}, formatTime(t.createdAt)), h('td', {}, t.createdBy),
        h('td', {}, h('button', { type: 'button', class: 'danger', onclick: async () => { await api.del(`/api/tokens/${t.id}`); loadTokens(); } }, 'Revoke')))))) : h('p', { class: 'muted' }, 'No API token yet.'),
      h('form', { class: 'row', onsubmit: async (e) => {
        e.preventDefault();
        try {
          const created = await api.post('/api/tokens', { name: name.value });
          await loadTokens();
          tokensHost.prepend(h('div', { class: 'token-once', role: 'status' }, h('strong', {}, 'Copy this token now, it is not shown again: '), h('code', { class: 'new-token' }, created.token)));
        } catch (err) {
          clear(messages, notice('error', err.message));
        }
      } }, field('Token name', name), h('button', { type: 'submit' }, 'Create token')));
  }

  await Promise.all([loadAdmins(), loadTokens()]);
}
