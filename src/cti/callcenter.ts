import { isLoopbackHost } from '../domain/account.ts';
import { CtiError } from '../errors.ts';

/**
 * The call-center definition file a Salesforce admin imports in Setup → Call Centers. Salesforce reads
 * `reqGeneralInfo`; our own section is handed back to the adapter page by `getCallCenterSettings`
 * (keyed `/reqCtiBridge/reqBaseUrl`, …), so the page knows where ctibridge lives without guessing.
 */

export type CompatibilityMode = 'Lightning' | 'Classic_and_Lightning';
export type DialSource = 'none' | 'xcally' | 'ami';

export interface CallCenterOptions {
  /** Public https URL of ctibridge, e.g. https://ctibridge.example.com (http only on loopback, for tests). */
  baseUrl: string;
  /** ≤ 40 letters/digits, starting with a letter: Salesforce's unique name of the call center. */
  internalName?: string;
  displayName?: string;
  softphoneHeight?: number;
  softphoneWidth?: number;
  compatibilityMode?: CompatibilityMode;
  /** Which adapter places click-to-dial calls (informational for the admin; ctibridge's settings decide). */
  dialSource?: DialSource;
}

interface Item {
  name: string;
  label: string;
  value: string;
}

interface Section {
  name: string;
  label: string;
  items: Item[];
}

const INTERNAL_NAME = /^[A-Za-z][A-Za-z0-9]{0,39}$/;

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char] ?? char);
}

/** The base URL without a trailing slash; refuses what Salesforce Lightning would refuse to frame. */
export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CtiError('CTI_INVALID_BASE_URL', 'baseUrl: give the public URL of ctibridge, e.g. https://ctibridge.example.com', { field: 'baseUrl' });
  }
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!allowed) {
    throw new CtiError('CTI_INVALID_BASE_URL', 'baseUrl: Lightning frames only https adapter pages; use an https:// URL (http:// only on a loopback address for tests)', { field: 'baseUrl' });
  }
  if (url.search || url.hash) {
    throw new CtiError('CTI_INVALID_BASE_URL', 'baseUrl: give the URL without a query string or fragment', { field: 'baseUrl' });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function dimension(value: number | undefined, fallback: number, field: string): string {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 100 || chosen > 2000) {
    throw new CtiError('CTI_INVALID_OPTION', `${field}: a whole number of pixels between 100 and 2000`, { field });
  }
  return String(chosen);
}

function sectionXml(section: Section, sortOrder: number): string {
  const items = section.items
    .map((item, index) => `    <item sortOrder="${index}" name="${escapeXml(item.name)}" label="${escapeXml(item.label)}">${escapeXml(item.value)}</item>`)
    .join('\n');
  return `  <section sortOrder="${sortOrder}" name="${escapeXml(section.name)}" label="${escapeXml(section.label)}">\n${items}\n  </section>`;
}

export function callCenterXml(options: CallCenterOptions): string {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const internalName = options.internalName ?? 'ctibridge';
  if (!INTERNAL_NAME.test(internalName)) {
    throw new CtiError('CTI_INVALID_OPTION', 'internalName: up to 40 letters or digits, starting with a letter (e.g. ctibridge)', { field: 'internalName' });
  }
  const displayName = (options.displayName ?? 'ctibridge softphone').trim();
  if (!displayName || displayName.length > 80) {
    throw new CtiError('CTI_INVALID_OPTION', 'displayName: 1 to 80 characters', { field: 'displayName' });
  }
  const mode = options.compatibilityMode ?? 'Lightning';
  if (mode !== 'Lightning' && mode !== 'Classic_and_Lightning') {
    throw new CtiError('CTI_INVALID_OPTION', 'compatibilityMode: Lightning or Classic_and_Lightning', { field: 'compatibilityMode' });
  }
  const sections: Section[] = [
    {
      name: 'reqGeneralInfo',
      label: 'General Information',
      items: [
        { name: 'reqInternalName', label: 'Internal Name', value: internalName },
        { name: 'reqDisplayName', label: 'Display Name', value: displayName },
        { name: 'reqAdapterUrl', label: 'CTI Adapter URL', value: `${baseUrl}/cti/softphone` },
        { name: 'reqUseApi', label: 'Use CTI API', value: 'true' },
        { name: 'reqSoftphoneHeight', label: 'Softphone Height', value: dimension(options.softphoneHeight, 460, 'softphoneHeight') },
        { name: 'reqSoftphoneWidth', label: 'Softphone Width', value: dimension(options.softphoneWidth, 320, 'softphoneWidth') },
        { name: 'reqSalesforceCompatibilityMode', label: 'Salesforce Compatibility Mode', value: mode },
      ],
    },
    {
      name: 'reqCtiBridge',
      label: 'ctibridge',
      items: [
        { name: 'reqBaseUrl', label: 'ctibridge URL', value: baseUrl },
        { name: 'reqDialSource', label: 'Click-to-dial source', value: options.dialSource ?? 'none' },
      ],
    },
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<callCenter>\n${sections.map(sectionXml).join('\n')}\n</callCenter>\n`;
}
