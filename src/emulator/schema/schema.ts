import { field, systemFields } from './fields.ts';
import { standardObjects } from './standard.ts';
import type { FieldDef, ObjectDef, SeedFieldDef, SeedObjectDef } from './types.ts';

const CUSTOM_PREFIXES = ['a0X', 'a0Y', 'a0Z', 'a10', 'a11', 'a12', 'a13', 'a14', 'a15', 'a16', 'a17', 'a18'];

function customField(def: SeedFieldDef): FieldDef {
  const name = def.name.endsWith('__c') ? def.name : `${def.name}__c`;
  return field(name, def.type, {
    ...(def.label ? { label: def.label } : {}),
    ...(def.length ? { length: def.length } : {}),
    nillable: !def.required,
    externalId: Boolean(def.externalId),
    idLookup: Boolean(def.externalId) || Boolean(def.unique),
    unique: Boolean(def.unique),
    picklistValues: def.picklistValues ?? [],
    restrictedPicklist: Boolean(def.restrictedPicklist),
    referenceTo: def.referenceTo ?? [],
    relationshipName: def.type === 'reference' ? (def.relationshipName ?? name.replace(/__c$/, '__r')) : null,
    custom: true,
    ...(def.precision !== undefined ? { precision: def.precision } : {}),
    ...(def.scale !== undefined ? { scale: def.scale } : {}),
  });
}

/** The org's objects: standard ones, plus custom objects and fields declared by the seed. Lookups ignore case. */
export class Schema {
  private readonly byLowerName = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();

  constructor(seedObjects: SeedObjectDef[] = []) {
    for (const def of standardObjects()) this.add(def);
    let nextCustom = 0;
    for (const seedDef of seedObjects) {
      const existing = this.get(seedDef.name);
      if (existing) {
        existing.fields.push(...seedDef.fields.map(customField));
        continue;
      }
      const name = seedDef.name.endsWith('__c') ? seedDef.name : `${seedDef.name}__c`;
      const label = seedDef.label ?? name.replace(/__c$/, '').replace(/_/g, ' ');
      this.add({
        name,
        label,
        labelPlural: seedDef.labelPlural ?? `${label}s`,
        keyPrefix: CUSTOM_PREFIXES[nextCustom++] ?? `a${(20 + nextCustom).toString(36)}`,
        custom: true,
        createable: true,
        updateable: true,
        deletable: true,
        fields: [
          ...systemFields({ ownable: true }),
          // Without a value the platform names the record after its Id.
          field('Name', 'string', { length: 80, nameField: true, nillable: false, defaultedOnCreate: true, label: `${label} Name` }),
          ...seedDef.fields.map(customField),
        ],
      });
    }
    // WhatId may point at any custom object, as on a real org with activities enabled.
    const whatId = this.get('Task')?.fields.find((f) => f.name === 'WhatId');
    if (whatId) whatId.referenceTo.push(...this.all().filter((o) => o.custom).map((o) => o.name));
  }

  private add(def: ObjectDef): void {
    this.byLowerName.set(def.name.toLowerCase(), def);
    this.byPrefix.set(def.keyPrefix, def);
  }

  get(name: string): ObjectDef | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }

  forId(id: string): ObjectDef | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  all(): ObjectDef[] {
    return [...this.byLowerName.values()];
  }
}

export function findField(def: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return def.fields.find((f) => f.name.toLowerCase() === lower);
}
