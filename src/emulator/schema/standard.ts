import { field, picklist, readOnly, reference, required, restrictedPicklist, systemFields } from './fields.ts';
import type { ObjectDef } from './types.ts';

function object(name: string, keyPrefix: string, labelPlural: string, fields: ObjectDef['fields'], over: Partial<ObjectDef> = {}): ObjectDef {
  return { name, label: name, labelPlural, keyPrefix, custom: false, createable: true, updateable: true, deletable: true, fields, ...over };
}

const calculated = { ...readOnly, calculated: true } as const;
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];

const contact = object('Contact', '003', 'Contacts', [
  ...systemFields({ ownable: true }),
  reference('AccountId', ['Account'], 'Account', { label: 'Account ID' }),
  required('LastName', 'string', { length: 80 }),
  field('FirstName', 'string', { length: 40 }),
  picklist('Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
  field('Name', 'string', { ...calculated, length: 121, nameField: true, label: 'Full Name' }),
  field('Phone', 'phone', { label: 'Business Phone' }),
  field('Fax', 'phone', { label: 'Business Fax' }),
  field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
  field('HomePhone', 'phone', { label: 'Home Phone' }),
  field('OtherPhone', 'phone', { label: 'Other Phone' }),
  field('AssistantPhone', 'phone', { label: 'Asst. Phone' }),
  field('AssistantName', 'string', { length: 40 }),
  field('Email', 'email', { idLookup: true }),
  field('Title', 'string', { length: 128 }),
  field('Department', 'string', { length: 80 }),
  picklist('LeadSource', LEAD_SOURCES),
  field('Birthdate', 'date'),
  field('Description', 'textarea', { label: 'Contact Description' }),
  field('MailingCity', 'string', { length: 40 }),
  field('MailingCountry', 'string', { length: 80 }),
  field('IsPersonAccount', 'boolean', { ...readOnly, defaultedOnCreate: true, nillable: false }),
  field('LastActivityDate', 'date', readOnly),
]);

const lead = object('Lead', '00Q', 'Leads', [
  ...systemFields({ ownable: true }),
  required('LastName', 'string', { length: 80 }),
  field('FirstName', 'string', { length: 40 }),
  field('Name', 'string', { ...calculated, length: 121, nameField: true, label: 'Full Name' }),
  field('Title', 'string', { length: 128 }),
  required('Company', 'string', { length: 255 }),
  field('City', 'string', { length: 40 }),
  field('Country', 'string', { length: 80 }),
  field('Phone', 'phone'),
  field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
  field('Fax', 'phone'),
  field('Email', 'email', { idLookup: true }),
  field('Website', 'url'),
  field('Description', 'textarea'),
  picklist('LeadSource', LEAD_SOURCES),
  restrictedPicklist('Status', ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'], 'Open - Not Contacted'),
  picklist('Industry', ['Agriculture', 'Banking', 'Communications', 'Education', 'Retail', 'Technology', 'Other']),
  picklist('Rating', ['Hot', 'Warm', 'Cold']),
  field('AnnualRevenue', 'currency'),
  field('NumberOfEmployees', 'int', { label: 'Employees' }),
  field('IsConverted', 'boolean', { ...readOnly, defaultedOnCreate: true, nillable: false }),
  reference('ConvertedContactId', ['Contact'], 'ConvertedContact', readOnly),
  reference('ConvertedAccountId', ['Account'], 'ConvertedAccount', readOnly),
]);

const account = object('Account', '001', 'Accounts', [
  ...systemFields({ ownable: true }),
  // Name is required for business accounts; person accounts derive it from FirstName/LastName.
  field('Name', 'string', { length: 255, nameField: true, nillable: false, defaultedOnCreate: false, label: 'Account Name' }),
  picklist('Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner', 'Technology Partner', 'Other']),
  reference('ParentId', ['Account'], 'Parent'),
  field('BillingCity', 'string', { length: 40 }),
  field('BillingCountry', 'string', { length: 80 }),
  field('Phone', 'phone', { label: 'Account Phone' }),
  field('Fax', 'phone', { label: 'Account Fax' }),
  field('AccountNumber', 'string', { length: 40 }),
  field('Website', 'url'),
  picklist('Industry', ['Agriculture', 'Banking', 'Communications', 'Education', 'Retail', 'Technology', 'Other']),
  field('AnnualRevenue', 'currency'),
  field('NumberOfEmployees', 'int', { label: 'Employees' }),
  field('Description', 'textarea', { label: 'Account Description' }),
  field('FirstName', 'string', { length: 40 }),
  field('LastName', 'string', { length: 80 }),
  field('IsPersonAccount', 'boolean', { ...readOnly, defaultedOnCreate: true, nillable: false }),
  reference('PersonContactId', ['Contact'], 'PersonContact', readOnly),
  field('PersonMobilePhone', 'phone', { label: 'Mobile' }),
  field('PersonHomePhone', 'phone', { label: 'Home Phone' }),
  field('PersonOtherPhone', 'phone', { label: 'Other Phone' }),
  field('PersonEmail', 'email', { label: 'Email' }),
  field('PersonTitle', 'string', { length: 80, label: 'Title' }),
]);

const task = object('Task', '00T', 'Tasks', [
  ...systemFields({ ownable: true }),
  reference('WhoId', ['Contact', 'Lead'], 'Who', { label: 'Name ID' }),
  reference('WhatId', ['Account', 'Case'], 'What', { label: 'Related To ID' }),
  field('Subject', 'combobox', { length: 255, picklistValues: ['Call', 'Send Letter', 'Send Quote', 'Other'] }),
  field('ActivityDate', 'date', { label: 'Due Date Only' }),
  restrictedPicklist('Status', ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'], 'Not Started'),
  restrictedPicklist('Priority', ['High', 'Normal', 'Low'], 'Normal'),
  field('IsHighPriority', 'boolean', { ...calculated, nillable: false, defaultedOnCreate: true }),
  field('Description', 'textarea', { label: 'Description' }),
  field('IsClosed', 'boolean', { ...calculated, nillable: false, defaultedOnCreate: true, label: 'Closed' }),
  restrictedPicklist('TaskSubtype', ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'], null, { updateable: false }),
  picklist('Type', ['Call', 'Email', 'Meeting', 'Other']),
  field('CallDurationInSeconds', 'int', { label: 'Call Duration' }),
  restrictedPicklist('CallType', ['Inbound', 'Outbound', 'Internal'], null),
  field('CallDisposition', 'string', { length: 255, label: 'Call Result' }),
  field('CallObject', 'string', { length: 255, label: 'Call Object Identifier' }),
  reference('AccountId', ['Account'], 'Account', readOnly),
]);

const caseObject = object('Case', '500', 'Cases', [
  ...systemFields({ ownable: true }),
  field('CaseNumber', 'string', { ...readOnly, length: 30, autoNumber: true, nameField: true, nillable: false, defaultedOnCreate: true, label: 'Case Number' }),
  reference('ContactId', ['Contact'], 'Contact', { label: 'Contact ID' }),
  reference('AccountId', ['Account'], 'Account', { label: 'Account ID' }),
  field('SuppliedName', 'string', { length: 80, label: 'Name' }),
  field('SuppliedEmail', 'email', { label: 'Email Address' }),
  field('SuppliedPhone', 'string', { length: 40, label: 'Phone' }),
  field('SuppliedCompany', 'string', { length: 80, label: 'Company' }),
  picklist('Type', ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other']),
  restrictedPicklist('Status', ['New', 'Working', 'Escalated', 'Closed'], 'New'),
  picklist('Reason', ['Installation', 'Equipment Complexity', 'Performance', 'Breakdown', 'Equipment Design', 'Feedback', 'Other']),
  restrictedPicklist('Origin', ['Phone', 'Email', 'Web'], null, { label: 'Case Origin' }),
  field('Subject', 'string', { length: 255 }),
  restrictedPicklist('Priority', ['High', 'Medium', 'Low'], 'Medium'),
  field('Description', 'textarea'),
  field('IsClosed', 'boolean', { ...calculated, nillable: false, defaultedOnCreate: true, label: 'Closed' }),
  field('ClosedDate', 'datetime', readOnly),
]);

const user = object('User', '005', 'Users', [
  ...systemFields({ ownable: false }),
  required('Username', 'string', { length: 80, unique: true, idLookup: true }),
  required('LastName', 'string', { length: 80 }),
  field('FirstName', 'string', { length: 40 }),
  field('Name', 'string', { ...calculated, length: 121, nameField: true, label: 'Full Name' }),
  required('Email', 'email', { length: 128 }),
  required('Alias', 'string', { length: 8 }),
  field('IsActive', 'boolean', { nillable: false, defaultedOnCreate: true, label: 'Active' }),
  reference('ProfileId', ['Profile'], 'Profile', { nillable: false, label: 'Profile ID' }),
  picklist('UserType', ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'], readOnly),
  field('FederationIdentifier', 'string', { length: 512, idLookup: true }),
  field('Phone', 'phone'),
  field('MobilePhone', 'phone'),
  field('Extension', 'string', { length: 40 }),
  field('Title', 'string', { length: 80 }),
  field('CallCenterId', 'reference', { label: 'Call Center ID' }),
  field('TimeZoneSidKey', 'string', { length: 40, nillable: false, defaultedOnCreate: true, label: 'Time Zone' }),
  field('LanguageLocaleKey', 'string', { length: 40, nillable: false, defaultedOnCreate: true, label: 'Language' }),
], { createable: false, deletable: false });

const profile = object('Profile', '00e', 'Profiles', [
  ...systemFields({ ownable: false }),
  required('Name', 'string', { length: 255, nameField: true }),
  field('UserType', 'string', { ...readOnly, length: 40 }),
], { createable: false, updateable: false, deletable: false });

/** The standard objects this emulator knows, in global-describe order. */
export function standardObjects(): ObjectDef[] {
  return structuredClone([account, caseObject, contact, lead, profile, task, user]);
}
