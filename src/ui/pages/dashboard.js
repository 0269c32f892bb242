import { h, clear, notice } from '../dom.js';
import { lineChart, quotaBars } from '../charts.js';

export async function render(main, _params, { api }) {
  const body = h('div', {});
  main.append(body);
  const refresh = async () => {
    try {
      const [stats, series] = await Promise.all([api.get('/api/stats'), api.get('/api/stats/series?minutes=60')]);
      draw(body, stats, series);
    } catch (err) {
      clear(body, notice('error', `Could not load the statistics: ${err.message}`));
    }
  };
  await refresh();
  const timer = setInterval(refresh, 5000);
  return () => clearInterval(timer);
}

function stat(label, value, hint) {
  return h('div', { class: 'card' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat' }, value), hint ? h('div', { class: 'muted small' }, hint) : null);
}

function draw(body, stats, series) {
  const jobs = stats.jobs ?? {};
  const backlog = (jobs.pending ?? 0) + (jobs.leased ?? 0);
  const sum = (list) => list.reduce((a, b) => a + b, 0);
  const paused = (stats.quota ?? []).filter((q) => q.paused);
  clear(body,
    paused.map((q) => notice('error', `Account ${q.name} is paused: ${q.paused.reason}`)),
    h('div', { class: 'grid grid-4' },
      stat('Events received', stats.events ?? 0, `${sum(series.events)} in the last hour`),
      stat('Records written', jobs.done ?? 0, `${sum(series.records)} in the last hour`),
      stat('Backlog', backlog, backlog ? 'jobs waiting or running' : 'nothing waiting'),
      h('div', { class: 'card' }, h('div', { class: 'stat-label' }, 'Dead letters'), h('div', { class: 'stat' }, jobs.dead ?? 0),
        (jobs.dead ?? 0) > 0 ? h('a', { href: '#/deliveries?state=dead', class: 'small' }, 'See and retry them') : h('div', { class: 'muted small' }, 'none'))),
    h('div', { class: 'grid grid-2' },
      h('section', { class: 'card chart', 'aria-labelledby': 'chart-throughput' },
        h('h2', { id: 'chart-throughput' }, 'Events and records per minute'),
        h('div', { class: 'legend' }, h('span', {}, h('span', { class: 'swatch swatch-events' }), 'events'), h('span', {}, h('span', { class: 'swatch swatch-records' }), 'records'), h('span', {}, h('span', { class: 'swatch swatch-failures' }), 'dead letters')),
        lineChart({ labels: series.minutes, series: { events: series.events, records: series.records, failures: series.failures }, title: 'Events, records and dead letters per minute, last hour' })),
      h('section', { class: 'card chart', 'aria-labelledby': 'chart-quota' },
        h('h2', { id: 'chart-quota' }, 'API quota used per account'),
        h('p', { class: 'muted small' }, 'Daily API requests used in the org (from Sforce-Limit-Info); the dashed line is the share ctibridge may use.'),
        (stats.quota ?? []).length ? quotaBars(stats.quota) : h('p', {}, 'No Salesforce account yet. ', h('a', { href: '#/accounts' }, 'Add one')),
        h('table', { class: 'small' }, h('thead', {}, h('tr', {}, h('th', {}, 'Account'), h('th', {}, 'Used'), h('th', {}, 'Daily limit'), h('th', {}, 'Share allowed'))),
          h('tbody', {}, (stats.quota ?? []).map((q) => h('tr', {}, h('td', {}, q.name), h('td', {}, q.used ?? '–'), h('td', {}, q.max ?? '–'), h('td', {}, `${Math.round(q.share * 100)}%`))))))));
}
