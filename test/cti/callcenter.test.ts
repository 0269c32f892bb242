import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { callCenterXml } from '../../src/cti/callcenter.ts';
import { CtiError } from '../../src/errors.ts';
import { launchBrowser } from './browser.ts';

/** Parse with the browser's own XML parser: what an XML consumer (Salesforce's import) would see. */
async function parseCallCenter(page: Page, xml: string) {
  return page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'application/xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    const items: Record<string, string> = {};
    for (const item of Array.from(doc.getElementsByTagName('item'))) {
      const section = item.parentElement?.getAttribute('name');
      items[`/${section}/${item.getAttribute('name')}`] = item.textContent ?? '';
    }
    return { root: doc.documentElement.nodeName, error: error ? error.textContent : null, items };
  }, xml);
}

describe('call-center definition file', () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  after(async () => {
    await browser.close();
  });

  test('parses as XML and carries the adapter URL and the Lightning settings Salesforce requires', async () => {
    const parsed = await parseCallCenter(page, callCenterXml({ baseUrl: 'https://cti.acme.example/' }));
    assert.equal(parsed.error, null);
    assert.equal(parsed.root, 'callCenter');
    assert.equal(parsed.items['/reqGeneralInfo/reqAdapterUrl'], 'https://cti.acme.example/cti/softphone');
    assert.equal(parsed.items['/reqGeneralInfo/reqInternalName'], 'ctibridge');
    assert.equal(parsed.items['/reqGeneralInfo/reqUseApi'], 'true');
    assert.equal(parsed.items['/reqGeneralInfo/reqSalesforceCompatibilityMode'], 'Lightning');
    assert.match(parsed.items['/reqGeneralInfo/reqSoftphoneHeight'], /^\d+$/);
    assert.match(parsed.items['/reqGeneralInfo/reqSoftphoneWidth'], /^\d+$/);
    assert.equal(parsed.items['/reqCtiBridge/reqBaseUrl'], 'https://cti.acme.example');
  });

  test('escapes values so names with XML characters still parse', async () => {
    const xml = callCenterXml({ baseUrl: 'https://cti.acme.example/tenant-a', displayName: 'Sales & Support <EU> "Rome"', internalName: 'AcmeEU2', dialSource: 'ami' });
    const parsed = await parseCallCenter(page, xml);
    assert.equal(parsed.error, null);
    assert.equal(parsed.items['/reqGeneralInfo/reqDisplayName'], 'Sales & Support <EU> "Rome"');
    assert.equal(parsed.items['/reqGeneralInfo/reqAdapterUrl'], 'https://cti.acme.example/tenant-a/cti/softphone');
    assert.equal(parsed.items['/reqCtiBridge/reqDialSource'], 'ami');
  });

  test('refuses what Salesforce would refuse, naming the field', () => {
    const fails = (options: Parameters<typeof callCenterXml>[0], field: string) =>
      assert.throws(() => callCenterXml(options), (error: unknown) => error instanceof CtiError && error.details?.field === field && error.message.startsWith(field));
    fails({ baseUrl: 'http://cti.acme.example' }, 'baseUrl');
    fails({ baseUrl: 'not a url' }, 'baseUrl');
    fails({ baseUrl: 'https://cti.acme.example', internalName: '1ctibridge' }, 'internalName');
    fails({ baseUrl: 'https://cti.acme.example', internalName: 'a'.repeat(41) }, 'internalName');
    fails({ baseUrl: 'https://cti.acme.example', internalName: 'cti_bridge' }, 'internalName');
    fails({ baseUrl: 'https://cti.acme.example', softphoneHeight: 20 }, 'softphoneHeight');
    // Loopback over http is the tests' and the emulator's case.
    assert.match(callCenterXml({ baseUrl: 'http://127.0.0.1:8080' }), /http:\/\/127\.0\.0\.1:8080\/cti\/softphone/);
  });
});
