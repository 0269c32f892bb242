import type { FieldDef, FieldType } from './types.ts';

const TEXT_LENGTHS: Partial<Record<FieldType, number>> = {
  id: 18, reference: 18, string: 255, phone: 40, email: 80, url: 255, textarea: 32000, picklist: 255,
  multipicklist: 4099, combobox: 255,
};

function labelFor(name: string): string {
  return name.replace(/__c$/, '').replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/ Id$/, ' ID');
}

/** Builds a field definition with Salesforce's defaults for its type; `over` sets what differs. */
export function field(name: string, type: FieldType, over: Partial<FieldDef> = {}): FieldDef {
  return {
    name,
    label: labelFor(name),
    type,
    length: TEXT_LENGTHS[type] ?? 0,
    nillable: true,
    createable: true,
    updateable: true,
    defaultedOnCreate: false,
    externalId: false,
    idLookup: false,
    unique: false,
    calculated: false,
    autoNumber: false,
    custom: name.endsWith('__c'),
    nameField: false,
    picklistValues: [],
    restrictedPicklist: false,
    defaultValue: null,
    referenceTo: [],
    relationshipName: null,
    precision: type === 'double' || type === 'currency' || type === 'percent' ? 18 : 0,
    scale: type === 'currency' ? 2 : 0,
    ...over,
  };
}

export const readOnly = { createable: false, updateable: false } as const;

export function required(name: string, type: FieldType, over: Partial<FieldDef> = {}): FieldDef {
  return field(name, type, { nillable: false, ...over });
}

export function reference(name: string, referenceTo: string[], relationshipName: string, over: Partial<FieldDef> = {}): FieldDef {
  return field(name, 'reference', { referenceTo, relationshipName, ...over });
}

export function picklist(name: string, values: string[], over: Partial<FieldDef> = {}): FieldDef {
  return field(name, 'picklist', { picklistValues: values, ...over });
}

/** A picklist the API refuses unknown values for, with a default applied on create. */
export function restrictedPicklist(name: string, values: string[], defaultValue: string | null, over: Partial<FieldDef> = {}): FieldDef {
  return field(name, 'picklist', {
    picklistValues: values,
    restrictedPicklist: true,
    defaultValue,
    defaultedOnCreate: defaultValue !== null,
    nillable: defaultValue === null,
    ...over,
  });
}

/** Id, owner and audit fields every stored object has. */
export function systemFields(options: { ownable: boolean }): FieldDef[] {
  const audit = { ...readOnly, defaultedOnCreate: true, nillable: false };
  const fields = [
    field('Id', 'id', { ...readOnly, defaultedOnCreate: true, nillable: false, idLookup: true, label: 'Record ID' }),
    field('IsDeleted', 'boolean', { ...audit, label: 'Deleted' }),
    field('CreatedDate', 'datetime', audit),
    reference('CreatedById', ['User'], 'CreatedBy', audit),
    field('LastModifiedDate', 'datetime', audit),
    reference('LastModifiedById', ['User'], 'LastModifiedBy', audit),
    field('SystemModstamp', 'datetime', audit),
  ];
  if (options.ownable) {
    fields.push(reference('OwnerId', ['User'], 'Owner', { nillable: false, defaultedOnCreate: true, label: 'Owner ID' }));
  }
  return fields;
}
