import { h, clear, select, notice, formatTime, field } from '../dom.js';

export async function render(main, params, { api }) {
  const accounts = await api.get('/api/accounts');
  const messages = h('div', {});
  const host = h('div', {});
  const accountSelect = select(accounts.map((a) => a.name), params.get('account') ?? accounts[0]?.name, { name: 'account', onchange: () => load() });
  main.append(h('p', { class: 'muted' }, 'Records are owned by the agent\'s Salesforce user, found by email. Map an agent by hand where the emails differ.'),
    accounts.length ? h('div', { class: 'row' }, field('Users of account', accountSelect)) : notice('info', 'Add a Salesforce account first.'), messages, host);

  async function load() {
    const data = await api.get(`/api/agents${accountSelect.value ? `?account=${encodeURIComponent(accountSelect.value)}` : ''}`);
    const name = (id) => { const u = data.users.find((x) => x.id === id); return u ? `${u.name} (${u.username})` : id; };
    if (data.usersError) messages.replaceChildren(notice('error', `Could not list the org's users: ${data.usersError}`));
    if (data.agents.length === 0) return clear(host, h('div', { class: 'card' }, 'No agent has appeared in an event yet.'));
    clear(host, h('div', { class: 'table-wrap' }, h('table', { 'aria-label': 'Agents' },
      h('thead', {}, h('tr', {}, ['Agent', 'Last seen', 'Found by email', 'Manual user', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, data.agents.map((agent) => {
        const choice = select([['', '— automatic —'], ...data.users.map((u) => [u.id, `${u.name} (${u.username})`])], agent.overrideUserId ?? '', { 'aria-label': `Salesforce user for ${agent.email}` });
        return h('tr', { dataset: { agent: agent.email } }, h('td', {}, agent.email, agent.name ? h('div', { class: 'muted small' }, agent.name) : null), h('td', {}, formatTime(agent.lastSeen)),
          h('td', {}, agent.autoUserId ? name(agent.autoUserId) : h('span', { class: 'muted' }, 'no user with this email')), h('td', {}, choice),
          h('td', {}, h('button', { type: 'button', onclick: async () => {
            if (choice.value) await api.put(`/api/agents/${encodeURIComponent(agent.email)}/override`, { userId: choice.value });
            else await api.del(`/api/agents/${encodeURIComponent(agent.email)}/override`);
            messages.replaceChildren(notice('ok', `Saved: ${agent.email} → ${choice.value ? name(choice.value) : 'automatic'}`));
            load();
          } }, 'Save')));
      })))));
  }
  if (accounts.length) await load();
}
