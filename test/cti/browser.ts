import { chromium, type Browser, type Page } from 'playwright-core';

/** Headless Chromium for the CTI tests (installed with `apt-get install -y chromium`). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The org that "frames" the softphone in tests: a loopback origin whose Open CTI library is the fake below. */
export const FAKE_ORG_ORIGIN = 'http://127.0.0.1:9';

/**
 * A test double of Lightning Open CTI (`window.sforce.opencti`): records every call with its arguments,
 * exposes the CALL_TYPE and SCREENPOP_TYPE enums, answers callbacks asynchronously with
 * `{success, returnValue, errors}`, and keeps listeners so a test can fire click-to-dial and navigation.
 * `window.__opencti.returns[method]` sets what a method answers.
 */
export const FAKE_OPEN_CTI = `
(function () {
  var state = { calls: [], clickToDial: [], navigation: [], returns: {} };
  function plain(args) {
    return JSON.parse(JSON.stringify(args || {}, function (key, value) { return typeof value === 'function' ? undefined : value; }));
  }
  function method(name, defaultReturn) {
    return function (args) {
      state.calls.push({ method: name, args: plain(args) });
      if (args && typeof args.callback === 'function') {
        var value = name in state.returns ? state.returns[name] : defaultReturn;
        setTimeout(function () { args.callback({ success: true, returnValue: value, errors: null }); }, 5);
      }
    };
  }
  window.__opencti = state;
  window.__fireClickToDial = function (payload) { state.clickToDial.forEach(function (l) { l(payload); }); };
  window.__fireNavigation = function (payload) { state.navigation.forEach(function (l) { l(payload); }); };
  window.sforce = { opencti: {
    CALL_TYPE: { INBOUND: 'inbound', OUTBOUND: 'outbound', INTERNAL: 'internal' },
    SCREENPOP_TYPE: { SOBJECT: 'sobject', URL: 'url', OBJECTHOME: 'objecthome', LIST: 'list', SEARCH: 'search', NEW_RECORD_MODAL: 'newRecord', FLOW: 'flow' },
    screenPop: method('screenPop', null),
    searchAndScreenPop: method('searchAndScreenPop', {}),
    enableClickToDial: method('enableClickToDial', null),
    disableClickToDial: method('disableClickToDial', null),
    setSoftphonePanelVisibility: method('setSoftphonePanelVisibility', null),
    saveLog: method('saveLog', { recordId: '00T000000000001AAA' }),
    refreshView: method('refreshView', null),
    getCallCenterSettings: method('getCallCenterSettings', {}),
    onClickToDial: function (args) { state.calls.push({ method: 'onClickToDial', args: plain(args) }); state.clickToDial.push(args.listener); },
    onNavigationChange: function (args) { state.calls.push({ method: 'onNavigationChange', args: plain(args) }); state.navigation.push(args.listener); }
  } };
})();
`;

/** Serve the fake Open CTI at the fake org's library URL for every page of this browser context. */
export async function serveFakeOpenCti(page: Page): Promise<void> {
  await page.route(`${FAKE_ORG_ORIGIN}/support/api/*/lightning/opencti_min.js`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: FAKE_OPEN_CTI }),
  );
}

export interface OpenCtiCall {
  method: string;
  args: Record<string, unknown>;
}

export async function openCtiCalls(page: Page, method?: string): Promise<OpenCtiCall[]> {
  const calls = await page.evaluate(() => (window as unknown as { __opencti?: { calls: OpenCtiCall[] } }).__opencti?.calls ?? []);
  return method ? calls.filter((c) => c.method === method) : calls;
}
