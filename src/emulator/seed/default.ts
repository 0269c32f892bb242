import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Seed, SeedUser } from './types.ts';

/** Private key matching the default app's certificate, so tests and demos can sign jwt-bearer assertions. */
export const DEFAULT_SEED_PRIVATE_KEY_PATH = fileURLToPath(new URL('./emulator-app.key.pem', import.meta.url));
const certificate = readFileSync(new URL('./emulator-app.crt.pem', import.meta.url), 'utf8');

const PASSWORD = 'emulator-password';
const TOKEN = 'EMULATORTOKEN';

function agent(first: string, last: string, extension: string, extra: Partial<SeedUser> = {}): SeedUser {
  const local = `${first}.${last}`.toLowerCase();
  return {
    Username: `${local}@contactco.example`,
    Email: `${local}@contactco.example`,
    FirstName: first,
    LastName: last,
    Alias: (first.slice(0, 1) + last.slice(0, 4)).toLowerCase(),
    Profile: 'Standard User',
    Extension: extension,
    Title: 'Contact Center Agent',
    password: PASSWORD,
    securityToken: TOKEN,
    ...extra,
  };
}

export const DEFAULT_SEED: Seed = {
  orgId: '00D5g000004EmuL',
  orgName: 'ContactCo (emulated)',
  apps: [
    {
      name: 'ctibridge',
      clientId: 'emulator-client-id',
      clientSecret: 'emulator-client-secret',
      callbackUrls: [
        'https://login.salesforce.com/services/oauth2/callback',
        'http://127.0.0.1:*/oauth/callback',
        'http://localhost:*/oauth/callback',
      ],
      grants: ['password', 'authorization_code', 'refresh_token', 'client_credentials', 'jwt_bearer'],
      certificate,
      clientCredentialsUser: 'admin@example.com',
      scopes: ['api', 'refresh_token', 'offline_access', 'id', 'openid', 'web'],
    },
    {
      name: 'legacy integration',
      clientId: 'emulator-limited-client-id',
      clientSecret: 'emulator-limited-client-secret',
      callbackUrls: ['https://login.salesforce.com/services/oauth2/callback'],
      grants: ['password', 'authorization_code', 'refresh_token'],
      scopes: ['api', 'refresh_token'],
    },
  ],
  users: [
    {
      Username: 'admin@example.com', Email: 'admin@example.com', FirstName: 'Emulator', LastName: 'Admin', Alias: 'eadmin',
      Profile: 'System Administrator', password: PASSWORD, securityToken: TOKEN,
    },
    agent('Marta', 'Rossi', '201'),
    agent('Luca', 'Bianchi', '202'),
    agent('Giulia', 'Verdi', '203'),
    agent('Sam', 'Taylor', '204'),
    agent('Paolo', 'Neri', '205', { IsActive: false }),
    {
      Username: 'noapi@example.com', Email: 'noapi@example.com', FirstName: 'Nora', LastName: 'Noapi', Alias: 'noapi',
      Profile: 'Standard User', password: PASSWORD, securityToken: TOKEN, apiEnabled: false,
    },
    {
      Username: 'locked@example.com', Email: 'locked@example.com', FirstName: 'Lorenzo', LastName: 'Locked', Alias: 'locked',
      Profile: 'Standard User', password: PASSWORD, securityToken: TOKEN, locked: true,
    },
  ],
  objects: [
    {
      name: 'Call_Log__c',
      label: 'Call Log',
      fields: [
        { name: 'Interaction_Key__c', type: 'string', length: 255, externalId: true, unique: true, label: 'Interaction Key' },
        { name: 'Phone__c', type: 'phone', label: 'Phone' },
        { name: 'Direction__c', type: 'picklist', picklistValues: ['Inbound', 'Outbound', 'Internal'], label: 'Direction' },
        { name: 'Duration__c', type: 'int', label: 'Duration (s)' },
        { name: 'Started_At__c', type: 'datetime', label: 'Started At' },
        { name: 'Contact__c', type: 'reference', referenceTo: ['Contact'], relationshipName: 'Contact__r', label: 'Contact' },
      ],
    },
  ],
  records: {
    Account: [
      { _ref: 'acme', Name: 'Acme Italia S.r.l.', Phone: '+39 02 8765 4321', Type: 'Customer - Direct', BillingCity: 'Milano', BillingCountry: 'Italy' },
      { _ref: 'globex', Name: 'Globex Corporation', Phone: '(415) 555-0100', Type: 'Prospect', BillingCity: 'San Francisco', BillingCountry: 'USA' },
      {
        _ref: 'esposito', FirstName: 'Giovanni', LastName: 'Esposito', PersonMobilePhone: '+39 333 123 4567',
        PersonHomePhone: '081 555 0142', PersonEmail: 'giovanni.esposito@example.it', BillingCity: 'Napoli',
      },
    ],
    Contact: [
      { FirstName: 'Anna', LastName: 'Ferrari', Phone: '+39 347 555 0101', Email: 'anna.ferrari@acme.example', AccountId: '@acme', Title: 'Office Manager' },
      { FirstName: 'Chiara', LastName: 'Romano', Phone: '0039 02 1234567', MobilePhone: '+39 320 555 0102', Email: 'chiara.romano@acme.example', AccountId: '@acme' },
      { FirstName: 'Marco', LastName: 'Galli', MobilePhone: '347 555 0103', Email: 'marco.galli@example.it' },
      { FirstName: 'John', LastName: 'Smith', Phone: '(415) 555-0123', Email: 'john.smith@globex.example', AccountId: '@globex' },
      { FirstName: 'Emily', LastName: 'Chen', Phone: '415.555.0199', MobilePhone: '+1 415 555 0198', Email: 'emily.chen@globex.example', AccountId: '@globex' },
      { FirstName: 'Luca', LastName: 'Conti', HomePhone: '+39 06 5550 1234', Email: 'luca.conti@example.it' },
      { FirstName: 'Sara', LastName: 'Conti', HomePhone: '06 5550 1234', Email: 'sara.conti@example.it' },
    ],
    Lead: [
      { FirstName: 'Paul', LastName: 'Martin', Company: 'Initech', Phone: '(212) 555-0147', Email: 'paul.martin@initech.example', LeadSource: 'Web' },
      { FirstName: 'Elena', LastName: 'Russo', Company: 'Stark Italia', MobilePhone: '+39 348 555 0199', Email: 'elena.russo@stark.example', Status: 'Working - Contacted' },
      { FirstName: 'Mark', LastName: 'Davis', Company: 'Davis Consulting', Phone: '415-555-0123', Email: 'mark.davis@davis.example' },
    ],
    Case: [],
    Task: [],
  },
};
