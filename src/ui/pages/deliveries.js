/* global URLSearchParams, document -- the admin UI runs in the browser */
import { h, clear, select, badge, notice, formatTime, field } from '../dom.js';

export async function render(main, params, { api }) {
  const q = h('input', { type: 'search', name: 'q', value: params.get('q') ?? '', placeholder: 'Interaction id, event id or phone number' });
  const state = select([['', 'any state'], ['pending', 'pending'], ['leased', 'running'], ['done', 'done'], ['dead', 'dead letter']], params.get('state') ?? '', { name: 'state' });
  const tableHost = h('div', { 'aria-live': 'polite' });
  const timelineHost = h('div', {});
  const messages = h('div', {});
  const since = h('input', { type: 'datetime-local', name: 'replay-since' });
  const replayTrigger = h('input', { name: 'replay-trigger', placeholder: 'all enabled triggers' });

  main.append(messages,
    h('form', { class: 'card row', role: 'search', onsubmit: (e) => { e.preventDefault(); load(); } },
      field('Search', q), field('State', state), h('button', { type: 'submit', class: 'primary' }, 'Search')),
    timelineHost, tableHost,
    h('details', { class: 'card' }, h('summary', {}, 'Replay past events (after fixing a trigger)'),
      h('form', { class: 'row', onsubmit: async (e) => {
        e.preventDefault();
        try {
          const result = await api.post('/api/replay', { since: new Date(since.value).toISOString(), trigger: replayTrigger.value || undefined });
          clear(messages, notice('ok', `Replayed ${result.events} events: ${result.planned} new jobs, ${result.retried} dead letters retried.`));
          load();
        } catch (err) {
          clear(messages, notice('error', err.message));
        }
      } }, field('Since', since), field('Trigger (name)', replayTrigger), h('button', { type: 'submit' }, 'Replay'))));

  async function load() {
    const query = new URLSearchParams();
    if (q.value.trim()) query.set('q', q.value.trim());
    if (state.value) query.set('state', state.value);
    const { rows } = await api.get(`/api/deliveries?${query}`);
    if (rows.length === 0) return clear(tableHost, h('div', { class: 'card' }, 'No deliveries match.'));
    clear(tableHost, h('div', { class: 'table-wrap' }, h('table', { 'aria-label': 'Deliveries' },
      h('thead', {}, h('tr', {}, ['Time', 'Event', 'Interaction', 'Action', 'State', 'Salesforce record', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.map(row)))));
  }

  function row({ job, event, record }) {
    return h('tr', { dataset: { job: job.id, kind: job.kind, state: job.state } },
      h('td', {}, formatTime(job.finishedAt ?? job.updatedAt)),
      h('td', {}, event ? [event.type, h('div', { class: 'muted small' }, event.phone ?? '')] : job.eventId),
      h('td', {}, event ? h('button', { type: 'button', class: 'link', onclick: () => timeline(event.interactionId) }, event.interactionId) : ''),
      h('td', {}, job.actionName, h('div', { class: 'muted small' }, job.kind)),
      h('td', {}, badge(job.state), job.attempts > 1 ? h('div', { class: 'muted small' }, `${job.attempts} attempts`) : null),
      h('td', {}, record ? (record.link ? h('a', { href: record.link, target: '_blank', rel: 'noopener', class: 'record-link' }, `${record.object} ${record.id}`) : `${record.object} ${record.id}`) : job.errorMessage ? h('span', { class: 'small' }, `${job.errorCode}: ${job.errorMessage}`) : '–'),
      h('td', {}, job.state === 'dead' ? h('button', { type: 'button', onclick: async () => { await api.post(`/api/jobs/${job.id}/retry`); load(); } }, 'Retry') : null));
  }

  async function timeline(interactionId) {
    const story = await api.get(`/api/interactions/${encodeURIComponent(interactionId)}`);
    const items = [
      ...story.events.map((e) => ({ at: e.receivedAt, cls: 'event', text: `Event ${e.type} (${e.id}) from ${e.source}` })),
      ...story.jobs.map((j) => {
        const record = story.records.find((r) => r.jobId === j.id);
        return { at: j.finishedAt ?? j.updatedAt, cls: j.state, text: `${j.actionName} (${j.kind}): ${j.state}`, record, error: j.errorMessage ? `${j.errorCode}: ${j.errorMessage}` : null };
      }),
    ].sort((a, b) => String(a.at).localeCompare(String(b.at)));
    clear(timelineHost, h('section', { class: 'card', 'aria-labelledby': 'timeline-title' },
      h('div', { class: 'row spread' }, h('h2', { id: 'timeline-title' }, `Interaction ${interactionId}`), h('button', { type: 'button', onclick: () => clear(timelineHost) }, 'Close')),
      h('ol', { class: 'timeline' }, items.map((item) => h('li', { class: item.cls }, h('div', { class: 'muted small' }, formatTime(item.at)), item.text,
        item.record ? h('div', {}, item.record.link ? h('a', { href: item.record.link, target: '_blank', rel: 'noopener' }, `Open ${item.record.object} ${item.record.id} in Salesforce`) : `${item.record.object} ${item.record.id}`) : null,
        item.error ? h('div', { class: 'fix' }, item.error) : null)))));
  }

  await load();
  // Keep the log live, but never redraw under someone typing in the filters.
  const timer = setInterval(() => { if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement?.tagName)) load().catch(() => {}); }, 2000);
  return () => clearInterval(timer);
}
