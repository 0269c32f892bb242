/* global window, document, localStorage, TextDecoder, AbortController */
/**
 * ctibridge softphone (the Open CTI adapter page). Plain browser JavaScript, no build step.
 * Signs the agent in with their agent token, follows their live interaction events, pops the caller's
 * record through Open CTI, dials from Salesforce phone fields and saves the wrap-up onto the call's Task.
 * Without Open CTI (page opened directly) it says so and still shows the live events.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'ctibridge.agentToken';
  var LOGIN_KEY = 'ctibridge.agentLogin';
  var POP_WAIT_MS = 5000;
  var POP_PHASES = ['started', 'ringing', 'answered', 'message'];
  var ENDED_PHASES = ['ended', 'abandoned', 'missed'];
  var POP_CHANNELS = ['voice', 'chat', 'sms', 'whatsapp', 'openchannel', 'video'];

  var state = {
    token: null,
    login: null,
    agent: null,
    openCti: null,
    calls: {},
    order: [],
    currentId: null,
    popped: {},
    awaitingRecord: {},
    feedAbort: null,
    feedRetryMs: 1000,
  };

  function $(id) {
    return document.getElementById(id);
  }
  function text(id, value) {
    $(id).textContent = value == null ? '' : String(value);
  }
  function show(id, visible) {
    $(id).hidden = !visible;
  }

  // ---- storage (the page lives in Salesforce's frame; storage is per top-level site, which is fine) ----
  function loadCredentials() {
    try {
      state.token = localStorage.getItem(TOKEN_KEY);
      state.login = localStorage.getItem(LOGIN_KEY);
    } catch {
      state.token = null;
    }
  }
  function saveCredentials(login, token) {
    state.login = login;
    state.token = token;
    try {
      localStorage.setItem(TOKEN_KEY, token);
      localStorage.setItem(LOGIN_KEY, login);
    } catch {
      /* storage blocked: the session lasts while the page is open */
    }
  }
  function clearCredentials() {
    state.token = null;
    state.agent = null;
    try {
      localStorage.removeItem(TOKEN_KEY);
      localStorage.removeItem(LOGIN_KEY);
    } catch {
      /* nothing stored */
    }
  }

  // ---- HTTP to ctibridge ----
  function api(method, path, body) {
    var headers = { accept: 'application/json' };
    if (state.token) headers.authorization = 'Bearer ' + state.token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return window
      .fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (response) {
        return response.text().then(function (raw) {
          var data = null;
          try {
            data = raw ? JSON.parse(raw) : null;
          } catch {
            data = { message: raw };
          }
          if (response.status === 401 && path !== '/cti/session') signOut('Your agent token is no longer valid: sign in again.');
          return { ok: response.ok, status: response.status, data: data || {} };
        });
      });
  }

  // ---- Open CTI ----
  function openCtiCall(method, args) {
    var oc = state.openCti;
    if (!oc || typeof oc[method] !== 'function') return Promise.resolve(null);
    return new Promise(function (resolve) {
      var payload = Object.assign({}, args || {});
      payload.callback = function (response) {
        resolve(response || null);
      };
      try {
        oc[method](payload);
      } catch (error) {
        resolve({ success: false, errors: [String(error && error.message ? error.message : error)] });
      }
    });
  }

  function startOpenCti() {
    var src = document.body.getAttribute('data-opencti-src');
    var problem = document.body.getAttribute('data-origin-problem');
    if (!src) {
      text('opencti-status', problem || 'Open CTI is not available: this page is not open inside Salesforce. Live events still show here; screen pop and click-to-dial work in the Salesforce softphone.');
      return;
    }
    var tag = document.createElement('script');
    tag.src = src;
    tag.onload = function () {
      if (window.sforce && window.sforce.opencti) {
        state.openCti = window.sforce.opencti;
        text('opencti-status', 'Connected to Salesforce.');
        wireOpenCti();
      } else {
        text('opencti-status', 'Salesforce did not provide Open CTI: live events still show here.');
      }
    };
    tag.onerror = function () {
      text('opencti-status', 'Open CTI could not be loaded from Salesforce: live events still show here.');
    };
    document.head.appendChild(tag);
  }

  function wireOpenCti() {
    var oc = state.openCti;
    if (typeof oc.onClickToDial === 'function') oc.onClickToDial({ listener: onClickToDial });
    if (typeof oc.onNavigationChange === 'function') {
      oc.onNavigationChange({
        listener: function (page) {
          state.lastPage = page || null;
        },
      });
    }
    if (state.agent) enableClickToDial();
  }

  function enableClickToDial() {
    openCtiCall('enableClickToDial').then(function (response) {
      if (response && response.success === false) text('dial-status', 'Click-to-dial could not be enabled in Salesforce.');
    });
  }

  function callTypeOf(call) {
    var types = (state.openCti && state.openCti.CALL_TYPE) || {};
    if (call.direction === 'outbound') return types.OUTBOUND || 'outbound';
    if (call.direction === 'internal') return types.INTERNAL || 'internal';
    return types.INBOUND || 'inbound';
  }

  function popRecord(record) {
    if (!state.openCti || !record || !record.id) return Promise.resolve(null);
    var types = state.openCti.SCREENPOP_TYPE || {};
    return openCtiCall('screenPop', { type: types.SOBJECT || 'sobject', params: { recordId: record.id } });
  }

  function searchAndPop(call) {
    var term = call.customer.phone || call.customer.email || call.customer.name;
    if (!state.openCti || !term) return Promise.resolve(null);
    return openCtiCall('searchAndScreenPop', { searchParams: term, callType: callTypeOf(call), deferred: false }).then(function (response) {
      if (response && response.success && response.returnValue) {
        var found = [];
        Object.keys(response.returnValue).forEach(function (id) {
          if (id === 'SCREEN_POP_DATA') return;
          var value = response.returnValue[id] || {};
          found.push({ id: id, name: value.Name || null, object: value.RecordType || value.object || null });
        });
        if (found.length === 1 && !call.record) call.record = found[0];
        if (found.length > 1) call.matches = found;
        render();
      }
      return response;
    });
  }

  // The first news of a new call or chat pops its record: the one ctibridge found, else a Salesforce search.
  function popFor(call) {
    if (state.popped[call.interactionId]) return;
    state.popped[call.interactionId] = true;
    if (call.record) {
      popRecord(call.record);
      return;
    }
    api('GET', '/cti/interactions/' + encodeURIComponent(call.interactionId)).then(function (response) {
      var view = response.ok ? response.data : null;
      if (view) mergeView(call, view);
      if (call.record) {
        popRecord(call.record);
      } else if (view && view.lookupPending) {
        state.awaitingRecord[call.interactionId] = window.setTimeout(function () {
          delete state.awaitingRecord[call.interactionId];
          searchAndPop(call);
        }, POP_WAIT_MS);
      } else {
        searchAndPop(call);
      }
      render();
    });
  }

  function onRecordNews(news) {
    var call = state.calls[news.interactionId];
    if (!call) return;
    if (news.record && !call.record) call.record = news.record;
    if (news.matches && news.matches.length > 1) call.matches = news.matches;
    var waiting = state.awaitingRecord[news.interactionId];
    if (waiting !== undefined) {
      window.clearTimeout(waiting);
      delete state.awaitingRecord[news.interactionId];
      if (call.record) popRecord(call.record);
      else searchAndPop(call);
    }
    render();
  }

  function onClickToDial(payload) {
    var number = payload && payload.number;
    if (!number) return;
    text('dial-status', 'Calling ' + number + '…');
    openCtiCall('setSoftphonePanelVisibility', { visible: true });
    api('POST', '/cti/dial', { number: number, agent: state.login, recordId: payload.recordId || undefined, objectType: payload.objectType || undefined }).then(function (response) {
      text('dial-status', response.ok ? 'Calling ' + number + ': ' + (response.data.message || 'your phone rings first') : 'Could not call ' + number + ': ' + (response.data.message || 'HTTP ' + response.status));
    });
  }

  // ---- calls ----
  function mergeView(call, view) {
    if (view.record && !call.record) call.record = view.record;
    if (view.matches && view.matches.length > 1) call.matches = view.matches;
    if (view.taskId) call.taskId = view.taskId;
    if (view.queue && !call.queue) call.queue = view.queue;
  }

  function onInteraction(summary) {
    var id = summary.interactionId;
    var call = state.calls[id];
    var isNew = !call;
    if (isNew) {
      call = { interactionId: id, firstSeen: Date.now(), matches: [], record: null, taskId: null };
      state.calls[id] = call;
      state.order.unshift(id);
      if (state.order.length > 20) delete state.calls[state.order.pop()];
    }
    ['channel', 'direction', 'queue', 'phase', 'type', 'startedAt', 'answeredAt', 'endedAt', 'disposition'].forEach(function (key) {
      if (summary[key] != null) call[key] = summary[key];
    });
    call.customer = Object.assign({}, call.customer || {}, pickDefined(summary.customer || {}));
    if (summary.record && !call.record) call.record = summary.record;
    state.currentId = id;
    render();
    if (isNew && POP_CHANNELS.indexOf(call.channel) >= 0 && POP_PHASES.indexOf(call.phase) >= 0) popFor(call);
  }

  function pickDefined(values) {
    var out = {};
    Object.keys(values).forEach(function (key) {
      if (values[key] != null) out[key] = values[key];
    });
    return out;
  }

  // ---- live feed: Server-Sent Events read with fetch, so the agent token travels in a header ----
  function connectFeed() {
    if (!state.token) return;
    var controller = new AbortController();
    state.feedAbort = controller;
    text('feed-status', 'Connecting to live events…');
    window
      .fetch('/cti/events', { headers: { authorization: 'Bearer ' + state.token, accept: 'text/event-stream' }, signal: controller.signal })
      .then(function (response) {
        if (response.status === 401) {
          signOut('Your agent token is no longer valid: sign in again.');
          return;
        }
        if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
        state.feedRetryMs = 1000;
        text('feed-status', 'Live.');
        var reader = response.body.getReader();
        var decoder = new TextDecoder();
        var buffer = '';
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) throw new Error('feed closed');
            buffer += decoder.decode(chunk.value, { stream: true });
            var frames = buffer.split('\n\n');
            buffer = frames.pop();
            frames.forEach(handleFrame);
            return pump();
          });
        }
        return pump();
      })
      .catch(function () {
        if (controller.signal.aborted || !state.token) return;
        text('feed-status', 'Live events interrupted: reconnecting…');
        window.setTimeout(connectFeed, state.feedRetryMs);
        state.feedRetryMs = Math.min(state.feedRetryMs * 2, 15000);
      });
  }

  function handleFrame(frame) {
    var name = 'message';
    var data = '';
    frame.split('\n').forEach(function (line) {
      if (line.indexOf('event:') === 0) name = line.slice(6).trim();
      else if (line.indexOf('data:') === 0) data += line.slice(5).trim();
    });
    if (!data) return;
    var payload;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    if (name === 'interaction') onInteraction(payload.summary);
    else if (name === 'record') onRecordNews(payload);
    else if (name === 'task') {
      var call = state.calls[payload.interactionId];
      if (call) call.taskId = payload.taskId;
      render();
    }
  }

  // ---- wrap-up ----
  function onWrapUp(event) {
    event.preventDefault();
    var call = state.calls[state.currentId];
    if (!call) return;
    var form = $('wrap-up');
    var note = form.elements.note.value;
    var disposition = form.elements.disposition.value;
    text('wrap-up-status', 'Saving…');
    api('POST', '/cti/interactions/' + encodeURIComponent(call.interactionId) + '/log', { note: note, disposition: disposition }).then(function (response) {
      if (response.ok) {
        call.taskId = response.data.taskId;
        text('wrap-up-status', 'Saved on the call\'s Task.');
        openCtiCall('refreshView');
      } else if (response.data.error === 'CTI_NO_TASK' && state.openCti && ENDED_PHASES.indexOf(call.phase) >= 0) {
        // The call is over and no trigger logged it: log it from here, as the agent, through Salesforce
        // itself. Before the end event a trigger may still log it, and a second Task must not appear.
        saveLogInSalesforce(call, note, disposition);
      } else if (response.data.error === 'CTI_NO_TASK') {
        text('wrap-up-status', 'Not saved yet: the call has not ended, so its Task is not logged. Save again after hang-up.');
      } else {
        text('wrap-up-status', 'Not saved: ' + (response.data.message || 'HTTP ' + response.status));
      }
    });
  }

  function saveLogInSalesforce(call, note, disposition) {
    var value = {
      entityApiName: 'Task',
      Subject: (call.direction === 'outbound' ? 'Call to ' : 'Call from ') + (call.customer.phone || call.customer.email || call.customer.name || 'customer'),
      Description: note,
      CallDisposition: disposition,
      CallObject: call.interactionId,
      CallType: call.direction === 'outbound' ? 'Outbound' : call.direction === 'internal' ? 'Internal' : 'Inbound',
      TaskSubtype: 'Call',
      Status: 'Completed',
      ActivityDate: new Date().toISOString().slice(0, 10),
    };
    if (call.record && (call.record.object === 'Contact' || call.record.object === 'Lead')) value.WhoId = call.record.id;
    else if (call.record) value.WhatId = call.record.id;
    openCtiCall('saveLog', { value: value }).then(function (response) {
      if (response && response.success) {
        call.taskId = response.returnValue && response.returnValue.recordId;
        text('wrap-up-status', 'Saved as a new Task in Salesforce.');
        openCtiCall('refreshView');
      } else {
        text('wrap-up-status', 'Not saved: ' + ((response && response.errors && String(response.errors)) || 'Salesforce refused the Task'));
      }
    });
  }

  // ---- rendering (text only: nothing from the network becomes markup) ----
  function elapsed(call) {
    var from = Date.parse(call.answeredAt || call.startedAt || '') || call.firstSeen;
    var to = call.endedAt ? Date.parse(call.endedAt) : Date.now();
    var seconds = Math.max(0, Math.round((to - from) / 1000));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ':' + (s < 10 ? '0' : '') + s;
  }

  function recordLabel(record) {
    return (record.name || record.id) + (record.object ? ' (' + record.object + ')' : '');
  }

  function render() {
    var call = state.calls[state.currentId];
    show('call', Boolean(call));
    if (call) {
      text('call-direction', (call.direction || 'inbound') + ' ' + (call.channel || ''));
      text('call-phase', call.phase || '');
      text('call-timer', elapsed(call));
      text('call-caller', call.customer.name ? call.customer.name + ' · ' + (call.customer.phone || call.customer.email || '') : call.customer.phone || call.customer.email || 'Unknown caller');
      text('call-queue', call.queue ? 'Queue: ' + call.queue : '');
      show('call-record', Boolean(call.record));
      text('call-record', call.record ? recordLabel(call.record) : '');
      text('call-record-none', call.record ? '' : call.matches.length > 1 ? call.matches.length + ' matches: pick one' : 'not matched yet');
      var list = $('call-matches');
      list.textContent = '';
      show('call-matches', call.matches.length > 1);
      call.matches.forEach(function (match) {
        var item = document.createElement('li');
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'link';
        button.textContent = recordLabel(match);
        button.setAttribute('data-record-id', match.id);
        button.addEventListener('click', function () {
          call.record = match;
          popRecord(match);
          render();
        });
        item.appendChild(button);
        list.appendChild(item);
      });
    }
    var recent = $('recent');
    recent.textContent = '';
    state.order.forEach(function (id) {
      var c = state.calls[id];
      var item = document.createElement('li');
      item.textContent = (c.direction || '') + ' ' + (c.channel || '') + ' · ' + (c.customer.phone || c.customer.email || c.customer.name || id) + ' · ' + (c.phase || '');
      item.setAttribute('data-interaction-id', id);
      recent.appendChild(item);
    });
  }

  // ---- sign-in ----
  function showSignIn(message) {
    show('sign-in', true);
    show('desk', false);
    show('sign-out', false);
    text('agent-name', '');
    text('sign-in-error', message || '');
  }

  function startDesk(agent) {
    state.agent = agent;
    show('sign-in', false);
    show('desk', true);
    show('sign-out', true);
    text('agent-name', agent.name || agent.email || agent.id || agent.extension);
    if (state.openCti) enableClickToDial();
    connectFeed();
  }

  function signOut(message) {
    if (state.feedAbort) state.feedAbort.abort();
    clearCredentials();
    text('feed-status', '');
    showSignIn(message);
  }

  function onSignIn(event) {
    event.preventDefault();
    var form = $('sign-in');
    var login = form.elements.login.value.trim();
    var token = form.elements.token.value.trim();
    api('POST', '/cti/session', { login: login, token: token }).then(function (response) {
      if (!response.ok) {
        text('sign-in-error', response.data.message || 'Sign-in failed.');
        return;
      }
      saveCredentials(login, token);
      form.reset();
      startDesk(response.data.agent);
    });
  }

  function start() {
    $('sign-in').addEventListener('submit', onSignIn);
    $('wrap-up').addEventListener('submit', onWrapUp);
    $('sign-out').addEventListener('click', function () {
      signOut('Signed out.');
    });
    $('call-record').addEventListener('click', function () {
      var call = state.calls[state.currentId];
      if (call && call.record) popRecord(call.record);
    });
    window.setInterval(function () {
      var call = state.calls[state.currentId];
      if (call) text('call-timer', elapsed(call));
    }, 1000);
    startOpenCti();
    loadCredentials();
    if (!state.token) {
      showSignIn();
      return;
    }
    api('GET', '/cti/me').then(function (response) {
      if (response.ok) startDesk(response.data.agent);
      else if (response.status !== 401) showSignIn('ctibridge is not reachable: ' + (response.data.message || 'HTTP ' + response.status));
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
