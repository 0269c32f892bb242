import type { FieldDef, ObjectDef } from '../schema/types.ts';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID', reference: 'tns:ID', boolean: 'xsd:boolean', int: 'xsd:int', double: 'xsd:double', currency: 'xsd:double',
  percent: 'xsd:double', date: 'xsd:date', datetime: 'xsd:dateTime',
};

function objectUrls(version: string, name: string) {
  const base = `/services/data/v${version}/sobjects/${name}`;
  return { rowTemplate: `${base}/{ID}`, defaultValues: `${base}/defaultValues?recordTypeId&fields`, describe: `${base}/describe`, sobject: base };
}

function describeField(f: FieldDef) {
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    length: f.length,
    byteLength: f.length * 3,
    digits: f.type === 'int' ? 9 : 0,
    precision: f.precision,
    scale: f.scale,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    defaultedOnCreate: f.defaultedOnCreate,
    calculated: f.calculated,
    autoNumber: f.autoNumber,
    custom: f.custom,
    externalId: f.externalId,
    idLookup: f.idLookup,
    unique: f.unique,
    caseSensitive: false,
    nameField: f.nameField,
    filterable: f.type !== 'textarea',
    sortable: f.type !== 'textarea',
    groupable: !['textarea', 'double', 'currency', 'percent', 'datetime'].includes(f.type),
    restrictedPicklist: f.restrictedPicklist,
    defaultValue: f.defaultValue,
    picklistValues: f.picklistValues.map((value) => ({ active: true, defaultValue: value === f.defaultValue, label: value, validFor: null, value })),
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    polymorphicForeignKey: f.referenceTo.length > 1,
    deprecatedAndHidden: false,
    htmlFormatted: false,
  };
}

function objectSummary(def: ObjectDef, version: string) {
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    custom: def.custom,
    customSetting: false,
    createable: def.createable,
    updateable: def.updateable,
    deletable: def.deletable,
    undeletable: def.deletable,
    queryable: true,
    retrieveable: true,
    searchable: def.name !== 'Profile',
    triggerable: true,
    layoutable: true,
    activateable: false,
    mergeable: ['Account', 'Contact', 'Lead'].includes(def.name),
    replicateable: true,
    feedEnabled: false,
    urls: objectUrls(version, def.name),
  };
}

export function describeObject(def: ObjectDef, all: ObjectDef[], version: string) {
  const childRelationships = all.flatMap((child) =>
    child.fields
      .filter((f) => f.referenceTo.includes(def.name) && f.relationshipName)
      .map((f) => ({ childSObject: child.name, field: f.name, relationshipName: null, cascadeDelete: false, restrictedDelete: false })),
  );
  return {
    ...objectSummary(def, version),
    fields: def.fields.map(describeField),
    childRelationships,
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All ' + def.labelPlural.toLowerCase(), name: 'everything' }],
  };
}

export function globalDescribe(all: ObjectDef[], version: string) {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: all.map((d) => objectSummary(d, version)).sort((a, b) => a.name.localeCompare(b.name)) };
}

/** `GET /sobjects/{Object}`: the summary plus recently viewed items (none, here). */
export function objectInfo(def: ObjectDef, version: string) {
  return { objectDescribe: objectSummary(def, version), recentItems: [] };
}
