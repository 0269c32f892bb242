/** A small in-memory org for the query engine's tests: a few Users, Accounts, Contacts, Leads and Tasks. */

import { makeId } from '../../src/emulator/ids.ts';
import type { FieldInfo, ObjectDescribe, QuerySource } from '../../src/emulator/query/index.ts';

const text = (name: string): FieldInfo => ({ name, type: 'string' });
const phone = (name: string): FieldInfo => ({ name, type: 'phone' });
const lookup = (name: string, relationshipName: string, ...referenceTo: string[]): FieldInfo => ({
  name,
  type: 'reference',
  referenceTo,
  relationshipName,
});
const common: FieldInfo[] = [
  { name: 'Id', type: 'id' },
  { name: 'CreatedDate', type: 'datetime' },
  lookup('OwnerId', 'Owner', 'User'),
];

const DESCRIBES: ObjectDescribe[] = [
  {
    name: 'User',
    fields: [{ name: 'Id', type: 'id' }, text('Name'), text('FirstName'), text('LastName'), { name: 'Email', type: 'email' }, { name: 'IsActive', type: 'boolean' }],
  },
  {
    name: 'Account',
    fields: [
      ...common,
      text('Name'),
      phone('Phone'),
      phone('Fax'),
      { name: 'NumberOfEmployees', type: 'int' },
      { name: 'AnnualRevenue', type: 'currency' },
      { name: 'Industry', type: 'picklist' },
    ],
  },
  {
    name: 'Contact',
    fields: [
      ...common,
      text('Name'),
      text('FirstName'),
      text('LastName'),
      phone('Phone'),
      phone('MobilePhone'),
      phone('HomePhone'),
      { name: 'Email', type: 'email' },
      { name: 'Description', type: 'textarea' },
      { name: 'Birthdate', type: 'date' },
      { name: 'HasOptedOutOfEmail', type: 'boolean' },
      lookup('AccountId', 'Account', 'Account'),
      // A custom lookup whose describe leaves relationshipName out: the engine derives Referrer__r.
      { name: 'Referrer__c', type: 'reference', referenceTo: ['Contact'] },
    ],
  },
  {
    name: 'Lead',
    fields: [
      ...common.slice(0, 2),
      lookup('OwnerId', 'Owner', 'Group', 'User'),
      text('Name'),
      text('FirstName'),
      text('LastName'),
      text('Company'),
      phone('Phone'),
      phone('MobilePhone'),
      { name: 'Email', type: 'email' },
      { name: 'Status', type: 'picklist' },
    ],
  },
  {
    name: 'Task',
    fields: [
      ...common.slice(0, 2),
      lookup('OwnerId', 'Owner', 'Group', 'User'),
      { name: 'Subject', type: 'string', nameField: true },
      text('CallObject'),
      { name: 'Description', type: 'textarea', length: 32000 },
      { name: 'ActivityDate', type: 'date' },
      { name: 'CallDurationInSeconds', type: 'int' },
      lookup('WhoId', 'Who', 'Contact', 'Lead'),
      lookup('WhatId', 'What', 'Account', 'Opportunity'),
    ],
  },
];

export const ids = {
  marta: makeId('005', 1),
  luca: makeId('005', 2),
  acme: makeId('001', 1),
  globex: makeId('001', 2),
  giulia: makeId('003', 1),
  john: makeId('003', 2),
  anna: makeId('003', 3),
  paolo: makeId('00Q', 1),
  sara: makeId('00Q', 2),
  callGiulia: makeId('00T', 1),
  callPaolo: makeId('00T', 2),
  orphanTask: makeId('00T', 3),
};

function records(): Record<string, Array<Record<string, unknown>>> {
  return {
    User: [
      { Id: ids.marta, Name: 'Marta Rossi', FirstName: 'Marta', LastName: 'Rossi', Email: 'marta.rossi@contactco.example', IsActive: true },
      { Id: ids.luca, Name: 'Luca Bianchi', FirstName: 'Luca', LastName: 'Bianchi', Email: 'luca.bianchi@contactco.example', IsActive: false },
    ],
    Account: [
      { Id: ids.acme, Name: 'Acme Italia', Phone: '+39 02 1234 5678', NumberOfEmployees: 250, AnnualRevenue: 1_500_000, Industry: 'Manufacturing', OwnerId: ids.marta, CreatedDate: '2026-01-10T08:00:00.000+0000' },
      { Id: ids.globex, Name: 'Globex', Phone: '(212) 555-0199', NumberOfEmployees: 40, AnnualRevenue: null, Industry: null, OwnerId: ids.luca, CreatedDate: '2026-02-10T08:00:00.000+0000' },
    ],
    Contact: [
      { Id: ids.giulia, Name: 'Giulia Verdi', FirstName: 'Giulia', LastName: 'Verdi', Phone: '+39 347 555 0101', MobilePhone: null, Email: 'giulia.verdi@acme.example', Birthdate: '1990-05-01', HasOptedOutOfEmail: false, AccountId: ids.acme, OwnerId: ids.marta, CreatedDate: '2026-11-20T09:00:00.000+0000', Description: 'Prefers calls after 5% discount talks' },
      { Id: ids.john, Name: 'John Smith', FirstName: 'John', LastName: 'Smith', Phone: '(415) 555-0123', MobilePhone: null, Email: 'john.smith@globex.example', Birthdate: null, HasOptedOutOfEmail: false, AccountId: ids.globex, OwnerId: ids.luca, CreatedDate: '2026-11-27T15:30:00.000+0000', Referrer__c: ids.giulia },
      { Id: ids.anna, Name: "Anna O'Brien", FirstName: 'Anna', LastName: "O'Brien", Phone: null, MobilePhone: '+39 347 555 0102', HomePhone: '020 7946 0018', Email: null, Birthdate: '1985-12-24', HasOptedOutOfEmail: true, AccountId: null, OwnerId: ids.marta, CreatedDate: '2026-11-28T07:00:00.000+0000' },
    ],
    Lead: [
      { Id: ids.paolo, Name: 'Paolo Neri', FirstName: 'Paolo', LastName: 'Neri', Company: 'Neri Srl', Phone: '3475550101', Email: 'paolo@neri.example', Status: 'Open - Not Contacted', OwnerId: ids.marta, CreatedDate: '2026-11-01T10:00:00.000+0000' },
      { Id: ids.sara, Name: 'Sara Blu', FirstName: 'Sara', LastName: 'Blu', Company: 'Blu SpA', Phone: '+44 20 7946 0999', Email: 'sara@blu.example', Status: 'Working - Contacted', OwnerId: ids.luca, CreatedDate: '2026-11-02T10:00:00.000+0000' },
    ],
    Task: [
      { Id: ids.callGiulia, Subject: 'Call', CallObject: '1764321300.42', ActivityDate: '2026-11-28', CallDurationInSeconds: 240, WhoId: ids.giulia, WhatId: ids.acme, OwnerId: ids.marta },
      { Id: ids.callPaolo, Subject: 'Call', CallObject: '1764321400.43', ActivityDate: '2026-11-27', CallDurationInSeconds: 30, WhoId: ids.paolo, WhatId: null, OwnerId: ids.luca },
      { Id: ids.orphanTask, Subject: 'Follow up', CallObject: null, ActivityDate: null, CallDurationInSeconds: null, WhoId: null, WhatId: null, OwnerId: ids.marta },
    ],
  };
}

/** A fresh org; describes answer only to the exact API name, like the emulator's own store. */
export function fixtureSource(): QuerySource {
  const data = records();
  return {
    describe: (object) => DESCRIBES.find((describe) => describe.name === object),
    records: (object) => data[object] ?? [],
  };
}
