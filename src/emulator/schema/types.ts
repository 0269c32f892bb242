export type FieldType =
  | 'id' | 'string' | 'phone' | 'email' | 'picklist' | 'multipicklist' | 'combobox' | 'reference' | 'datetime'
  | 'date' | 'int' | 'double' | 'percent' | 'boolean' | 'textarea' | 'url' | 'currency';

/** One field of an sObject as the emulator enforces and describes it. */
export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  externalId: boolean;
  idLookup: boolean;
  unique: boolean;
  calculated: boolean;
  autoNumber: boolean;
  custom: boolean;
  nameField: boolean;
  picklistValues: string[];
  restrictedPicklist: boolean;
  defaultValue: string | null;
  referenceTo: string[];
  relationshipName: string | null;
  precision: number;
  scale: number;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  fields: FieldDef[];
}

/** The seed's way to declare a field: only name and type are required. */
export interface SeedFieldDef {
  name: string;
  type: FieldType;
  label?: string;
  length?: number;
  required?: boolean;
  externalId?: boolean;
  unique?: boolean;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
  referenceTo?: string[];
  relationshipName?: string;
  precision?: number;
  scale?: number;
}

/** A custom object, or extra custom fields for a standard object when `name` is a standard one. */
export interface SeedObjectDef {
  name: string;
  label?: string;
  labelPlural?: string;
  fields: SeedFieldDef[];
}
