/* global Blob, confirm, structuredClone -- the admin UI runs in the browser */
import { h, clear, field, select, badge, notice, uid } from '../dom.js';
import { problemsOf } from '../api.js';

const OPS = ['equals', 'notEquals', 'contains', 'startsWith', 'endsWith', 'matches', 'in', 'gt', 'gte', 'lt', 'lte', 'exists'];
const EVENT_TYPES = ['voice.ended', 'voice.abandoned', 'voice.missed', 'voice.answered', 'voice.ringing', 'voice.*', 'chat.ended', 'chat.*', 'email.message', 'sms.message', 'whatsapp.message', '*'];
const CONDITION_FIELDS = ['type', 'interaction.direction', 'interaction.channel', 'interaction.queue', 'interaction.disposition', 'interaction.customer.phone',
  'interaction.customer.email', 'interaction.customer.name', 'interaction.agent.email', 'interaction.agent.id', 'interaction.agent.extension',
  'interaction.waitSec', 'interaction.talkSec', 'interaction.durationSec', 'interaction.tags', 'interaction.subject'];
const TEMPLATE_VARS = ['{{ interaction.customer.phone }}', '{{ interaction.customer.name }}', '{{ interaction.customer.email }}', '{{ interaction.queue }}',
  '{{ interaction.agent.email }}', '{{ interaction.id }}', '{{ interaction.disposition }}', '{{ interaction.talkSec }}', '{{ interaction.durationSec }}',
  '{{ interaction.startedAt | date: "%Y-%m-%d" }}', '{{ event.type }}', '{{ actions.customer.id }}', '{{ actions.customer.accountId }}'];
const ACTION_TYPES = [
  ['salesforce.findCustomer', 'Find the customer (Contact, Lead, Account)'],
  ['salesforce.logActivity', 'Log the call as a Task'],
  ['salesforce.createCase', 'Open a Case'],
  ['salesforce.create', 'Create a record'],
  ['salesforce.update', 'Update a record'],
  ['salesforce.upsert', 'Upsert by External ID'],
  ['webhook', 'Call a webhook'],
];
const OBJECT_OF = { 'salesforce.logActivity': 'Task', 'salesforce.createCase': 'Case' };

function emptyTrigger(accounts) {
  const account = accounts[0]?.name ?? '';
  return {
    name: '', description: '', enabled: true, on: ['voice.ended'], match: 'all', conditions: [],
    actions: [
      { name: 'customer', type: 'salesforce.findCustomer', account, by: 'phone', objects: ['Contact', 'Lead'], onMany: 'mostRecent', onNone: 'continue' },
      { name: 'task', type: 'salesforce.logActivity', account, fields: { WhoId: '{{ actions.customer.id }}' } },
    ],
  };
}

export async function render(main, params, { api }) {
  const messages = h('div', {});
  const listHost = h('div', {});
  const editorHost = h('div', {});
  const accounts = await api.get('/api/accounts');
  const fileInput = h('input', { type: 'file', accept: 'application/json', class: 'visually-hidden', 'aria-label': 'Import triggers from a JSON file', hidden: true, onchange: importFile });
  main.append(messages,
    h('div', { class: 'row spread' }, h('p', { class: 'muted' }, 'A trigger listens for interaction events and runs its actions in order, in Salesforce or on a webhook.'),
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: exportAll }, 'Export'), h('button', { type: 'button', onclick: () => fileInput.click() }, 'Import'), fileInput,
        h('button', { type: 'button', class: 'primary', onclick: () => edit(null) }, 'New trigger'))),
    editorHost, listHost);

  async function load() {
    const triggers = await api.get('/api/triggers');
    if (triggers.length === 0) return clear(listHost, h('div', { class: 'card' }, 'No trigger yet.'));
    clear(listHost, h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'On'), h('th', {}, 'Name'), h('th', {}, 'Events'), h('th', {}, 'Actions'), h('th', {}, ''))),
      h('tbody', {}, triggers.map((t) => {
        const toggle = h('input', { type: 'checkbox', checked: t.enabled, 'aria-label': `Enable ${t.name}`, onchange: async () => {
          await api.post(`/api/triggers/${t.id}/${toggle.checked ? 'enable' : 'disable'}`);
        } });
        return h('tr', { dataset: { trigger: t.name } }, h('td', {}, toggle), h('td', {}, h('strong', {}, t.name), t.description ? h('div', { class: 'muted small' }, t.description) : null),
          h('td', {}, t.on.join(', ')), h('td', {}, t.actions.map((a) => `${a.name} (${a.type.replace('salesforce.', '')})`).join(' → ')),
          h('td', {}, h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => edit(t) }, 'Edit'),
            h('button', { type: 'button', class: 'danger', onclick: async () => { if (confirm(`Delete trigger ${t.name}?`)) { await api.del(`/api/triggers/${t.id}`); await load(); } } }, 'Delete'))));
      })))));
  }

  async function exportAll() {
    const all = await api.get('/api/triggers/export');
    const link = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(all, null, 2)], { type: 'application/json' })), download: 'ctibridge-triggers.json' });
    link.click();
  }

  async function importFile() {
    const file = fileInput.files[0];
    if (!file) return;
    try {
      const result = await api.post('/api/triggers/import', JSON.parse(await file.text()));
      clear(messages, notice('ok', `Imported: ${result.created} new, ${result.updated} replaced.`));
      await load();
    } catch (err) {
      clear(messages, notice('error', problemsOf(err).join('; ')));
    }
    fileInput.value = '';
  }

  function edit(stored) {
    const draft = stored ? structuredClone({ name: stored.name, description: stored.description ?? '', enabled: stored.enabled, on: stored.on, match: stored.match ?? 'all', conditions: stored.conditions ?? [], actions: stored.actions }) : emptyTrigger(accounts);
    clear(editorHost, editor(draft, stored?.id ?? null));
    editorHost.querySelector('input')?.focus();
  }

  function editor(draft, id) {
    const error = h('div', { class: 'form-error', role: 'alert' });
    const conditionsHost = h('div', { class: 'editor-rows' });
    const actionsHost = h('div', {});
    const name = h('input', { name: 'trigger-name', value: draft.name, required: true, oninput: () => { draft.name = name.value; } });
    const description = h('input', { name: 'trigger-description', value: draft.description, oninput: () => { draft.description = description.value; } });
    const onInput = h('input', { name: 'trigger-on', value: draft.on.join(', '), list: 'event-types', oninput: () => { draft.on = onInput.value.split(',').map((s) => s.trim()).filter(Boolean); } });
    const match = select([['all', 'all conditions hold'], ['any', 'any condition holds']], draft.match, { name: 'trigger-match', onchange: () => { draft.match = match.value; } });
    const enabled = h('input', { type: 'checkbox', checked: draft.enabled, id: uid(), onchange: () => { draft.enabled = enabled.checked; } });

    const drawConditions = () => clear(conditionsHost, draft.conditions.length === 0 ? h('p', { class: 'muted small' }, 'No condition: every event of the types above runs the actions.') : null,
      draft.conditions.map((condition, index) => conditionRow(condition, index)));
    const conditionRow = (condition, index) => {
      const fieldInput = h('input', { value: condition.field, list: 'condition-fields', 'aria-label': `Condition ${index + 1} field`, oninput: () => { condition.field = fieldInput.value; } });
      const op = select(OPS, condition.op, { 'aria-label': `Condition ${index + 1} operator`, onchange: () => { condition.op = op.value; } });
      const valueInput = h('input', { value: Array.isArray(condition.value) ? condition.value.join(', ') : (condition.value ?? ''), 'aria-label': `Condition ${index + 1} value`, oninput: () => {
        const raw = valueInput.value;
        condition.value = condition.op === 'in' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : ['gt', 'gte', 'lt', 'lte'].includes(condition.op) && raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
        if (condition.op === 'exists') delete condition.value;
      } });
      return h('div', { class: 'editor-row' }, fieldInput, op, valueInput, h('button', { type: 'button', 'aria-label': `Remove condition ${index + 1}`, onclick: () => { draft.conditions.splice(index, 1); drawConditions(); } }, 'Remove'));
    };
    const drawActions = () => clear(actionsHost, draft.actions.map((action, index) => actionCard(action, index)));
    const actionCard = (action, index) => {
      const body = h('div', {});
      const typeSelect = select(ACTION_TYPES, action.type, { 'aria-label': `Action ${index + 1} type`, onchange: () => {
        const next = { name: action.name, type: typeSelect.value };
        if (next.type !== 'webhook') next.account = action.account ?? accounts[0]?.name ?? '';
        if (next.type === 'webhook') next.url = 'https://';
        if (['salesforce.create', 'salesforce.update', 'salesforce.upsert'].includes(next.type)) { next.object = 'Task'; next.fields = {}; }
        if (next.type === 'salesforce.update') next.id = '{{ actions.customer.id }}';
        if (next.type === 'salesforce.upsert') { next.externalIdField = ''; next.externalId = '{{ interaction.id }}'; }
        if (['salesforce.logActivity', 'salesforce.createCase'].includes(next.type)) next.fields = {};
        draft.actions[index] = next;
        drawActions();
      } });
      const nameInput = h('input', { value: action.name, 'aria-label': `Action ${index + 1} name`, oninput: () => { action.name = nameInput.value; } });
      drawActionBody(body, action, index);
      return h('section', { class: 'card action-card', 'aria-label': `Action ${index + 1}: ${action.name}` },
        h('div', { class: 'row spread' }, h('h3', {}, `Action ${index + 1}`),
          h('div', { class: 'row' },
            index > 0 ? h('button', { type: 'button', 'aria-label': `Move action ${index + 1} up`, onclick: () => { draft.actions.splice(index - 1, 0, draft.actions.splice(index, 1)[0]); drawActions(); } }, '↑') : null,
            h('button', { type: 'button', 'aria-label': `Remove action ${index + 1}`, onclick: () => { draft.actions.splice(index, 1); drawActions(); } }, 'Remove'))),
        h('div', { class: 'form-grid' }, field('Type', typeSelect), field('Name', nameInput, `Later actions read its output as actions.${action.name || 'name'}.id`)),
        body);
    };

    const drawActionBody = (body, action) => {
      const parts = [];
      if (action.type !== 'webhook') {
        const account = select(accounts.map((a) => a.name), action.account, { onchange: () => { action.account = account.value; drawActions(); } });
        parts.push(field('Salesforce account', account));
      }
      if (action.type === 'salesforce.findCustomer') {
        const by = select([['phone', 'phone number (all phone fields)'], ['email', 'email']], action.by ?? 'phone', { onchange: () => { action.by = by.value; } });
        const objects = h('div', { class: 'chips', role: 'group', 'aria-label': 'Objects to search' }, ['Contact', 'Lead', 'Account'].map((object) => {
          const box = h('input', { type: 'checkbox', checked: (action.objects ?? ['Contact', 'Lead', 'Account']).includes(object), onchange: () => {
            const set = new Set(action.objects ?? ['Contact', 'Lead', 'Account']);
            if (box.checked) set.add(object); else set.delete(object);
            action.objects = ['Contact', 'Lead', 'Account'].filter((o) => set.has(o));
          } });
          return h('label', {}, box, object);
        }));
        const onMany = select([['mostRecent', 'the most recently modified'], ['preferContact', 'prefer a Contact'], ['none', 'none of them']], action.onMany ?? 'mostRecent', { onchange: () => { action.onMany = onMany.value; } });
        const onNone = select([['continue', 'go on without a customer'], ['createLead', 'create a Lead'], ['createContact', 'create a Contact'], ['stop', 'stop this trigger']], action.onNone ?? 'continue', { onchange: () => { action.onNone = onNone.value; drawActions(); } });
        parts.push(h('div', { class: 'form-grid' }, field('Search by', by), h('div', { class: 'field' }, h('span', { class: 'label' }, 'Search in'), objects), field('When several match, use', onMany), field('When none matches', onNone)));
        if (action.onNone === 'createLead' || action.onNone === 'createContact') parts.push(fieldMap(action, action.onNone === 'createLead' ? 'Lead' : 'Contact', 'Fields of the new record (over the defaults)'));
      } else if (action.type === 'webhook') {
        const url = h('input', { value: action.url ?? '', type: 'url', oninput: () => { action.url = url.value; } });
        const secret = h('input', { value: action.secret ?? '', oninput: () => { if (secret.value) action.secret = secret.value; else delete action.secret; } });
        parts.push(h('div', { class: 'form-grid' }, field('URL', url), field('Signing secret', secret, 'Optional, 16+ characters: the body is signed as X-Ctibridge-Signature: sha256=<HMAC>.')));
      } else {
        if (['salesforce.create', 'salesforce.update', 'salesforce.upsert'].includes(action.type)) {
          const object = h('input', { value: action.object ?? '', list: 'sobjects', onchange: () => { action.object = object.value.trim(); drawActions(); } });
          parts.push(field('Object', object, 'API name, e.g. Opportunity or Call_Log__c'));
        }
        if (action.type === 'salesforce.update') {
          const id = h('input', { value: action.id ?? '', oninput: () => { action.id = id.value; } });
          parts.push(field('Record id', id, 'A template, e.g. {{ actions.customer.id }}'));
        }
        if (action.type === 'salesforce.upsert') {
          const ext = h('input', { value: action.externalIdField ?? '', oninput: () => { action.externalIdField = ext.value; } });
          const extValue = h('input', { value: action.externalId ?? '', oninput: () => { action.externalId = extValue.value; } });
          parts.push(h('div', { class: 'form-grid' }, field('External ID field', ext), field('External ID value', extValue, 'A template, e.g. {{ interaction.id }}')));
        }
        const object = OBJECT_OF[action.type] ?? action.object;
        parts.push(fieldMap(action, object, action.type === 'salesforce.logActivity' ? 'Task fields (over the defaults: Subject, Status, CallType, CallDurationInSeconds, CallObject, OwnerId…)' : action.type === 'salesforce.createCase' ? 'Case fields (over the defaults)' : 'Fields'));
      }
      clear(body, parts);
    };

    const fieldMap = (action, object, title) => {
      action.fields ??= {};
      const listId = `fields-${action.account}-${object}`.replace(/[^a-zA-Z0-9_-]/g, '_');
      const described = h('datalist', { id: listId });
      const hints = new Map();
      const rows = h('div', { class: 'editor-rows' });
      const box = h('fieldset', {}, h('legend', {}, `${title}`), described, rows,
        h('button', { type: 'button', onclick: () => { action.fields[''] = ''; draw(); } }, 'Add field'));
      const draw = () => clear(rows, Object.entries(action.fields).map(([name, value], index) => {
        const nameInput = h('input', { value: name, list: listId, 'aria-label': `${object} field ${index + 1}`, placeholder: 'Field API name' });
        const valueInput = h('input', { value: value ?? '', list: 'template-vars', 'aria-label': `${object} field ${index + 1} value`, placeholder: '{{ interaction.customer.phone }}' });
        const hint = h('div', { class: 'muted small' }, hints.get(name) ?? '');
        const commit = () => {
          const entries = Object.entries(action.fields);
          entries[index] = [nameInput.value.trim(), valueInput.value];
          action.fields = Object.fromEntries(entries);
          hint.textContent = hints.get(nameInput.value.trim()) ?? '';
        };
        nameInput.addEventListener('change', commit);
        valueInput.addEventListener('input', commit);
        return h('div', { class: 'map-row' }, h('div', {}, nameInput, hint), valueInput,
          h('button', { type: 'button', 'aria-label': `Remove ${object} field ${index + 1}`, onclick: () => { const entries = Object.entries(action.fields); entries.splice(index, 1); action.fields = Object.fromEntries(entries); draw(); } }, 'Remove'));
      }));
      draw();
      if (action.account && object) {
        api.get(`/api/accounts/${encodeURIComponent(action.account)}/describe/${encodeURIComponent(object)}`).then((described_) => {
          for (const f of described_.fields.filter((f) => f.createable !== false || f.updateable)) {
            const picklist = f.picklistValues?.length ? `: ${f.picklistValues.filter((p) => p.active !== false).map((p) => p.value).slice(0, 8).join(', ')}` : '';
            hints.set(f.name, `${f.type}${f.length ? ` (${f.length})` : ''}${f.referenceTo?.length ? ` → ${f.referenceTo.join('/')}` : ''}${picklist}`);
            described.append(h('option', { value: f.name }, f.label ?? f.name));
          }
          draw();
        }).catch(() => box.append(h('p', { class: 'help' }, `Could not read the fields of ${object} from ${action.account}: type API names by hand.`)));
      }
      return box;
    };

    drawConditions();
    drawActions();

    // Dry-run panel.
    const eventText = h('textarea', { class: 'code', rows: 12, name: 'sample-event', spellcheck: 'false' });
    const sampleLoaded = api.get('/api/triggers/sample-event').then((sample) => { eventText.value = JSON.stringify(sample, null, 2); });
    const dryResult = h('div', { 'aria-live': 'polite', class: 'dry-run-result' });
    const dryRun = async () => {
      clear(dryResult, h('p', { class: 'muted' }, 'Running…'));
      await sampleLoaded;
      let event;
      try {
        event = JSON.parse(eventText.value);
      } catch (err) {
        return clear(dryResult, notice('error', `The sample event is not JSON: ${err.message}`));
      }
      try {
        const result = await api.post('/api/triggers/dry-run', { trigger: draft, event });
        clear(dryResult, drawDryRun(result));
      } catch (err) {
        clear(dryResult, notice('error', problemsOf(err).join('; ')));
      }
    };

    const save = async (e) => {
      e.preventDefault();
      clear(error);
      try {
        const saved = id ? await api.put(`/api/triggers/${id}`, draft) : await api.post('/api/triggers', draft);
        clear(editorHost);
        clear(messages, notice('ok', `Trigger "${saved.name}" saved${saved.enabled ? ' and enabled' : ''}.`));
        await load();
      } catch (err) {
        clear(error, h('ul', {}, problemsOf(err).map((p) => h('li', {}, p))));
      }
    };

    return h('form', { class: 'card', 'aria-label': id ? `Edit trigger ${draft.name}` : 'New trigger', onsubmit: save },
      h('h2', {}, id ? `Edit “${draft.name}”` : 'New trigger'),
      h('datalist', { id: 'event-types' }, EVENT_TYPES.map((t) => h('option', { value: t }))),
      h('datalist', { id: 'condition-fields' }, CONDITION_FIELDS.map((t) => h('option', { value: t }))),
      h('datalist', { id: 'template-vars' }, TEMPLATE_VARS.map((t) => h('option', { value: t }))),
      h('datalist', { id: 'sobjects' }, ['Task', 'Case', 'Contact', 'Lead', 'Account', 'Opportunity', 'Event'].map((t) => h('option', { value: t }))),
      h('div', { class: 'form-grid' }, field('Name', name), field('Description', description),
        field('On event types', onInput, 'Comma-separated, wildcards allowed: voice.ended, voice.*, chat.*'),
        h('div', { class: 'field' }, h('label', { for: enabled.id }, 'Enabled'), enabled)),
      h('fieldset', {}, h('legend', {}, 'Conditions'), field('Run when', match), conditionsHost,
        h('button', { type: 'button', onclick: () => { draft.conditions.push({ field: 'interaction.direction', op: 'equals', value: 'inbound' }); drawConditions(); } }, 'Add condition')),
      h('h3', {}, 'Actions, in order'),
      actionsHost,
      h('button', { type: 'button', onclick: () => { draft.actions.push({ name: `action${draft.actions.length + 1}`, type: 'salesforce.createCase', account: accounts[0]?.name ?? '', fields: {} }); drawActions(); } }, 'Add action'),
      h('section', { class: 'card', 'aria-labelledby': 'dry-run-title' }, h('h3', { id: 'dry-run-title' }, 'Dry run'),
        h('p', { class: 'help' }, 'Shows what this draft would write for the event below, without writing to Salesforce (lookups run for real: they only read).'),
        field('Sample event (JSON)', eventText),
        h('button', { type: 'button', onclick: dryRun }, 'Dry run'), dryResult),
      error,
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Save trigger'), h('button', { type: 'button', onclick: () => clear(editorHost) }, 'Cancel')));
  }

  await load();
  if (params.get('new')) edit(null);
}

function drawDryRun(result) {
  if (!result.matched) return notice('info', `The trigger would not run: ${result.reason}`);
  return h('ol', { class: 'dry-run-steps' }, result.steps.map((step) => h('li', { dataset: { action: step.action } },
    h('strong', {}, step.action), ' ', h('span', { class: 'muted' }, step.type), ' ', step.error ? badge('error') : badge('ok'),
    step.error ? h('p', { class: 'fix' }, `${step.error.code}: ${step.error.message}`) : null,
    step.would?.record ? h('div', {}, h('p', {}, `Would ${step.would.operation} a ${step.would.object}:`),
      h('table', { class: 'small' }, h('tbody', {}, Object.entries(step.would.record).map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))))))) : null,
    step.output ? h('p', { class: 'small' }, 'Found now: ', step.output.id ? `${step.output.object} ${step.output.name ?? ''} (${step.output.id})` : 'no match') : null,
    step.would && !step.would.record && !step.output ? h('pre', {}, JSON.stringify(step.would, null, 2)) : null)));
}
