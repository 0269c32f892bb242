import { DmlError, RequestError } from './errors.ts';
import { normaliseId } from './ids.ts';
import type { Org } from './org.ts';
import { findField } from './schema/schema.ts';
import type { FieldDef, ObjectDef } from './schema/types.ts';
import type { StoredRecord, Transaction } from './store.ts';
import { checkValue, coerceValue, formatDateTime, resolveFields } from './validation.ts';

/** Who is writing, and the transaction that collects undo steps for all-or-none requests. */
export interface DmlContext {
  org: Org;
  userId: string;
  tx?: Transaction;
}

/** Several records hold the same external id: single upserts answer 300, collections a per-record error. */
export class MultipleMatchesError extends DmlError {
  constructor(fieldName: string, readonly ids: string[]) {
    super('DUPLICATE_EXTERNAL_ID', `${fieldName}: more than one record found for external id field: [${ids.join(', ')}]`, []);
  }
}

export function objectDef(org: Org, name: string): ObjectDef {
  const def = org.schema.get(name);
  if (!def) throw new RequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return def;
}

function joinName(first: unknown, last: unknown): string {
  return [first, last].filter((part) => typeof part === 'string' && part !== '').join(' ');
}

/** Fields the platform computes: names, closed flags, derived account links. */
function derive(org: Org, def: ObjectDef, record: StoredRecord): void {
  switch (def.name) {
    case 'Contact':
    case 'Lead':
    case 'User':
      record.Name = joinName(record.FirstName, record.LastName);
      break;
    case 'Account':
      if (record.IsPersonAccount) record.Name = joinName(record.FirstName, record.LastName);
      break;
    case 'Task': {
      record.IsClosed = record.Status === 'Completed';
      record.IsHighPriority = record.Priority === 'High';
      const whatId = typeof record.WhatId === 'string' ? record.WhatId : '';
      const who = typeof record.WhoId === 'string' ? org.store.get('Contact', record.WhoId) : undefined;
      record.AccountId = whatId.startsWith('001') ? whatId : (who?.AccountId ?? null);
      break;
    }
    case 'Case':
      record.IsClosed = record.Status === 'Closed';
      record.ClosedDate = record.IsClosed ? (record.ClosedDate ?? record.LastModifiedDate) : null;
      break;
  }
  if (def.custom && (record.Name === null || record.Name === undefined || record.Name === '')) record.Name = record.Id;
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function checkRequired(def: ObjectDef, record: StoredRecord): void {
  const missing = def.fields
    .filter((f) => !f.nillable && f.createable && !f.defaultedOnCreate && f.type !== 'boolean')
    .filter((f) => !(def.name === 'Account' && f.name === 'Name' && record.IsPersonAccount))
    .filter((f) => isBlank(record[f.name]))
    .map((f) => f.name);
  if (def.name === 'Account' && record.IsPersonAccount && isBlank(record.LastName)) missing.push('LastName');
  if (missing.length) throw new DmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
}

function checkReference(org: Org, fieldDef: FieldDef, value: string): void {
  const target = org.schema.forId(value);
  if (!target || !fieldDef.referenceTo.includes(target.name)) {
    throw new DmlError('FIELD_INTEGRITY_EXCEPTION', `${fieldDef.label}: id value of incorrect type: ${value}`, [fieldDef.name]);
  }
  const referenced = org.store.get(target.name, value);
  if (!referenced) {
    const deleted = org.store.list(target.name, true).some((r) => r.Id === value);
    if (deleted) throw new DmlError('ENTITY_IS_DELETED', 'entity is deleted', [fieldDef.name]);
    throw new DmlError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [fieldDef.name]);
  }
  if (target.name === 'User' && fieldDef.name === 'OwnerId' && referenced.IsActive === false) {
    throw new DmlError('INACTIVE_OWNER_OR_USER', 'operation performed with inactive user as owner', [fieldDef.name]);
  }
}

function checkUnique(org: Org, def: ObjectDef, record: StoredRecord): void {
  for (const f of def.fields) {
    if (!f.unique || isBlank(record[f.name])) continue;
    const value = String(record[f.name]).toLowerCase();
    const clash = org.store.list(def.name).find((r) => r.Id !== record.Id && String(r[f.name] ?? '').toLowerCase() === value);
    if (clash) throw new DmlError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${clash.Id}`, []);
  }
}

function applyInput(org: Org, def: ObjectDef, input: Record<string, unknown>, mode: 'insert' | 'update'): Map<FieldDef, unknown> {
  const resolved = resolveFields(def, input).map(([f, v]) => [f, coerceValue(f, v)] as const);
  const values = new Map<FieldDef, unknown>();
  const forbidden: string[] = [];
  for (const [f, value] of resolved) {
    if (f.name === 'Id') {
      if (mode === 'insert') throw new DmlError('INVALID_FIELD_FOR_INSERT_UPDATE', 'Record ID: cannot specify Id in an insert call', ['Id']);
      continue;
    }
    if (mode === 'insert' ? !f.createable : !f.updateable) {
      // Person-account fields are accepted on Account even though business accounts ignore them.
      forbidden.push(f.name);
      continue;
    }
    values.set(f, value);
  }
  if (forbidden.length) {
    throw new DmlError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${forbidden.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      forbidden,
    );
  }
  for (const [f, value] of values) {
    checkValue(f, value);
    if (f.type === 'reference' && typeof value === 'string') values.set(f, normaliseId(value));
  }
  for (const [f, value] of values) if (f.type === 'reference' && typeof value === 'string') checkReference(org, f, value);
  return values;
}

function maybeLockFailure(org: Org, id: string | null): void {
  if (org.faults.takeLockFailure()) {
    throw new DmlError('UNABLE_TO_LOCK_ROW', `unable to obtain exclusive access to this record or 1 records: ${id ?? ''}`.trim(), []);
  }
}

/** Keeps a person account's hidden Contact in step with the account. */
function syncPersonContact(ctx: DmlContext, account: StoredRecord): void {
  const { org } = ctx;
  const contactDef = objectDef(org, 'Contact');
  const existing = typeof account.PersonContactId === 'string' ? org.store.get('Contact', account.PersonContactId) : undefined;
  const contact: StoredRecord = existing ? { ...existing } : {
    Id: org.nextId(contactDef), IsDeleted: false, CreatedDate: account.CreatedDate, CreatedById: account.CreatedById,
  };
  Object.assign(contact, {
    FirstName: account.FirstName ?? null, LastName: account.LastName, AccountId: account.Id, IsPersonAccount: true,
    Phone: account.Phone ?? null, MobilePhone: account.PersonMobilePhone ?? null, HomePhone: account.PersonHomePhone ?? null,
    OtherPhone: account.PersonOtherPhone ?? null, Email: account.PersonEmail ?? null, Title: account.PersonTitle ?? null,
    OwnerId: account.OwnerId, LastModifiedDate: account.LastModifiedDate, LastModifiedById: account.LastModifiedById,
    SystemModstamp: account.SystemModstamp,
  });
  for (const f of contactDef.fields) if (!(f.name in contact)) contact[f.name] = f.type === 'boolean' ? false : null;
  derive(org, contactDef, contact);
  org.store.put('Contact', contact, ctx.tx);
  account.PersonContactId = contact.Id;
}

export function createRecord(ctx: DmlContext, objectName: string, input: Record<string, unknown>): StoredRecord {
  const { org } = ctx;
  const def = objectDef(org, objectName);
  if (!def.createable) throw new DmlError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be inserted: ${def.name}`, []);
  const values = applyInput(org, def, input, 'insert');
  maybeLockFailure(org, null);
  const now = formatDateTime(new Date());
  const record = Object.fromEntries(def.fields.map((f) => [f.name, f.type === 'boolean' ? false : (f.defaultValue ?? null)])) as StoredRecord;
  Object.assign(record, { Id: org.nextId(def), IsDeleted: false, CreatedDate: now, LastModifiedDate: now, SystemModstamp: now, CreatedById: ctx.userId, LastModifiedById: ctx.userId });
  if (findField(def, 'OwnerId')) record.OwnerId = ctx.userId;
  for (const [f, value] of values) record[f.name] = value === null && f.defaultValue !== null ? f.defaultValue : value;
  if (def.name === 'Account') record.IsPersonAccount = isBlank(record.Name) && !isBlank(record.LastName);
  if (def.name === 'Case') record.CaseNumber = String(org.nextCaseNumber()).padStart(8, '0');
  checkRequired(def, record);
  derive(org, def, record);
  checkUnique(org, def, record);
  org.store.put(def.name, record, ctx.tx);
  if (def.name === 'Account' && record.IsPersonAccount) syncPersonContact(ctx, record);
  return record;
}

function existingRecord(org: Org, def: ObjectDef, id: string): StoredRecord {
  const normalised = normaliseId(id);
  if (!normalised) throw new DmlError('MALFORMED_ID', `Record ID: id value of incorrect type: ${id}`, ['Id']);
  const record = org.store.get(def.name, normalised);
  if (record) return record;
  if (org.store.list(def.name, true).some((r) => r.Id === normalised)) throw new DmlError('ENTITY_IS_DELETED', 'entity is deleted', []);
  throw new DmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
}

/** Finds a live record by id, or undefined; a malformed id also yields undefined. */
export function findRecord(org: Org, def: ObjectDef, id: string): StoredRecord | undefined {
  const normalised = normaliseId(id);
  return normalised ? org.store.get(def.name, normalised) : undefined;
}

export function updateRecord(ctx: DmlContext, objectName: string, id: string, input: Record<string, unknown>): StoredRecord {
  const { org } = ctx;
  const def = objectDef(org, objectName);
  if (!def.updateable) throw new DmlError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be updated: ${def.name}`, []);
  const current = existingRecord(org, def, id);
  const values = applyInput(org, def, input, 'update');
  maybeLockFailure(org, current.Id);
  const now = formatDateTime(new Date());
  const record: StoredRecord = { ...current, LastModifiedDate: now, SystemModstamp: now, LastModifiedById: ctx.userId };
  for (const [f, value] of values) record[f.name] = value;
  checkRequired(def, record);
  for (const f of def.fields) {
    if (f.restrictedPicklist && !f.nillable && values.has(f) && values.get(f) === null) {
      throw new DmlError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: null`, [f.name]);
    }
  }
  derive(org, def, record);
  checkUnique(org, def, record);
  org.store.put(def.name, record, ctx.tx);
  if (def.name === 'Account' && record.IsPersonAccount) syncPersonContact(ctx, record);
  return record;
}

export function deleteRecord(ctx: DmlContext, objectName: string, id: string): void {
  const { org } = ctx;
  const def = objectDef(org, objectName);
  if (!def.deletable) throw new DmlError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be deleted: ${def.name}`, []);
  const current = existingRecord(org, def, id);
  maybeLockFailure(org, current.Id);
  org.store.remove(def.name, current.Id, ctx.tx);
  if (typeof current.PersonContactId === 'string') org.store.remove('Contact', current.PersonContactId, ctx.tx);
}

/** The field a record can be upserted on: an External ID, an idLookup field, or Id itself. */
export function upsertKeyField(def: ObjectDef, fieldName: string): FieldDef {
  const f = findField(def, fieldName);
  if (!f) throw new RequestError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${fieldName}`);
  if (!f.externalId && !f.idLookup) {
    throw new RequestError(400, 'INVALID_FIELD', `Field ${f.name} is not an External ID or indexed field for ${def.name}`);
  }
  return f;
}

export function upsertRecord(
  ctx: DmlContext, objectName: string, fieldName: string, keyValue: unknown, input: Record<string, unknown>,
): { record: StoredRecord; created: boolean } {
  const { org } = ctx;
  const def = objectDef(org, objectName);
  const keyField = upsertKeyField(def, fieldName);
  if (isBlank(keyValue)) throw new DmlError('MISSING_ARGUMENT', `${keyField.name} not specified`, [keyField.name]);
  const wanted = String(keyValue).toLowerCase();
  const matches = keyField.name === 'Id'
    ? [findRecord(org, def, String(keyValue))].filter((r): r is StoredRecord => r !== undefined)
    : org.store.list(def.name).filter((r) => String(r[keyField.name] ?? '').toLowerCase() === wanted);
  if (matches.length > 1) throw new MultipleMatchesError(keyField.name, matches.map((r) => r.Id));
  const body = Object.fromEntries(Object.entries(input).filter(([k]) => k.toLowerCase() !== keyField.name.toLowerCase()));
  if (matches.length === 1) return { record: updateRecord(ctx, def.name, matches[0].Id, body), created: false };
  if (keyField.name === 'Id') throw new DmlError('NOT_FOUND', 'Provided external ID field does not exist or is not accessible: Id', []);
  return { record: createRecord(ctx, def.name, { ...body, [keyField.name]: keyValue }), created: true };
}
