/** Binds names written in a statement to the org's describe: canonical casing, relationship hops, parents. */

import { noSuchColumn, noSuchRelation, positionedError, unsupportedObject } from './errors.ts';
import type { FieldPath } from './soql-parser.ts';
import type { FieldInfo, ObjectDescribe, QuerySource, SalesforceRecord } from './types.ts';

/** One step from a record to its parent through a lookup field. */
export interface Hop {
  /** Canonical relationship name, the key of the nested object in results: 'Account', 'Who'. */
  relationshipName: string;
  /** Canonical lookup field holding the parent id: 'AccountId', 'WhoId'. */
  foreignKey: string;
  /** Objects the lookup may point at, canonical names, only those the org describes. */
  targets: string[];
  /** Several targets: Salesforce answers with its `Name` pseudo-object (attributes.type 'Name'). */
  polymorphic: boolean;
}

export interface BoundField {
  hops: Hop[];
  /** Canonical leaf field name. */
  name: string;
  /** The leaf field's describe type. */
  type: string;
  /** A long text area: selectable, but Salesforce refuses it in WHERE and ORDER BY. */
  longText: boolean;
}

/**
 * Fields of Salesforce's `Name` pseudo-object, the only ones reachable through a polymorphic lookup
 * (Who, What, Owner on Lead/Case/Task). Values come from the actual parent record; Type is its object name.
 */
const NAME_OBJECT_FIELDS: FieldInfo[] = [
  { name: 'Id', type: 'id' },
  { name: 'Name', type: 'string' },
  { name: 'FirstName', type: 'string' },
  { name: 'LastName', type: 'string' },
  { name: 'Alias', type: 'string' },
  { name: 'Email', type: 'email' },
  { name: 'Phone', type: 'phone' },
  { name: 'Title', type: 'string' },
  { name: 'Type', type: 'picklist' },
  { name: 'IsActive', type: 'boolean' },
  { name: 'UserRoleId', type: 'reference' },
  { name: 'ProfileId', type: 'reference' },
  { name: 'Username', type: 'string' },
];

const ID_FIELD: FieldInfo = { name: 'Id', type: 'id' };

/** The first 15 characters identify a record; the 3-character suffix only makes them case-safe. */
export function idKey(id: string): string {
  return id.length === 18 ? id.slice(0, 15) : id;
}

export class Schema {
  private readonly recordIndex = new Map<string, Map<string, SalesforceRecord>>();

  constructor(
    private readonly source: QuerySource,
    /** The statement being run, for positioned error messages. */
    private readonly statement: string,
  ) {}

  /** The describe for a name in any casing, or an INVALID_TYPE error pointing at it. */
  object(name: string, offset: number): ObjectDescribe {
    const found = this.findObject(name);
    if (!found) throw positionedError('INVALID_TYPE', this.statement, { offset }, unsupportedObject(name));
    return found;
  }

  findObject(name: string): ObjectDescribe | undefined {
    const candidates = [name, name.charAt(0).toUpperCase() + name.slice(1).toLowerCase()];
    const listed = this.source.objectNames?.().find((known) => known.toLowerCase() === name.toLowerCase());
    if (listed) candidates.unshift(listed);
    for (const candidate of candidates) {
      const describe = this.source.describe(candidate);
      if (describe && describe.name.toLowerCase() === name.toLowerCase()) return describe;
    }
    return undefined;
  }

  /** Resolves `Account.Owner.Email` from `base` to hops and a leaf, or throws INVALID_FIELD. */
  bind(base: ObjectDescribe, path: FieldPath): BoundField {
    const hops: Hop[] = [];
    let current: ObjectDescribe = base;
    const relationSegments = path.segments.slice(0, -1);
    const leafSegment = path.segments[path.segments.length - 1];
    for (const segment of relationSegments) {
      const previous = hops[hops.length - 1];
      if (previous?.polymorphic) this.failField(path, noSuchRelation(segment));
      const hop = this.relationship(current, segment);
      if (!hop) this.failField(path, noSuchRelation(segment));
      hops.push(hop);
      if (!hop.polymorphic) current = this.findObject(hop.targets[0])!;
    }
    const last = hops[hops.length - 1];
    const fields = last?.polymorphic ? NAME_OBJECT_FIELDS : current.fields;
    const entity = last?.polymorphic ? 'Name' : current.name;
    const leaf = findField(fields, leafSegment) ?? (leafSegment.toLowerCase() === 'id' ? ID_FIELD : undefined);
    if (!leaf) this.failField(path, noSuchColumn(leafSegment, entity));
    const longText = leaf.type === 'textarea' && (leaf.length ?? 0) > 255;
    return { hops, name: leaf.name, type: leaf.type, longText };
  }

  records(type: string): SalesforceRecord[] {
    return this.source.records(type);
  }

  /** The parent a hop leads to from `record`, with its object name, or undefined when the lookup is empty. */
  parent(record: SalesforceRecord, hop: Hop): { type: string; record: SalesforceRecord } | undefined {
    const id = record[hop.foreignKey];
    if (typeof id !== 'string' || id === '') return undefined;
    for (const type of hop.targets) {
      const found = this.index(type).get(idKey(id));
      if (found) return { type, record: found };
    }
    return undefined;
  }

  /** Reads a bound field from a base record, following lookups; null when any link is empty. */
  read(record: SalesforceRecord, field: BoundField): unknown {
    let current: { type: string; record: SalesforceRecord } | undefined = { type: '', record };
    for (const hop of field.hops) {
      current = this.parent(current.record, hop);
      if (!current) return null;
    }
    const polymorphic = field.hops[field.hops.length - 1]?.polymorphic;
    return leafValue(current, field.name, polymorphic === true);
  }

  private index(type: string): Map<string, SalesforceRecord> {
    let byId = this.recordIndex.get(type);
    if (!byId) {
      byId = new Map();
      for (const record of this.source.records(type)) {
        if (typeof record.Id === 'string') byId.set(idKey(record.Id), record);
      }
      this.recordIndex.set(type, byId);
    }
    return byId;
  }

  private relationship(object: ObjectDescribe, segment: string): Hop | undefined {
    const wanted = segment.toLowerCase();
    const field = object.fields.find(
      (candidate) => candidate.type === 'reference' && relationshipNameOf(candidate)?.toLowerCase() === wanted,
    );
    if (!field) return undefined;
    const targets = (field.referenceTo ?? []).flatMap((name) => this.findObject(name)?.name ?? []);
    if (targets.length === 0) return undefined;
    return {
      relationshipName: relationshipNameOf(field)!,
      foreignKey: field.name,
      targets,
      polymorphic: (field.referenceTo ?? []).length > 1,
    };
  }

  private failField(path: FieldPath, detail: string): never {
    throw positionedError('INVALID_FIELD', this.statement, path, detail);
  }
}

export function findField(fields: FieldInfo[], name: string): FieldInfo | undefined {
  const wanted = name.toLowerCase();
  return fields.find((field) => field.name.toLowerCase() === wanted);
}

/** A describe may leave relationshipName out; Salesforce's convention derives it from the field name. */
function relationshipNameOf(field: FieldInfo): string | null | undefined {
  if (field.relationshipName !== undefined) return field.relationshipName;
  if (/__c$/i.test(field.name)) return field.name.replace(/__c$/i, '__r');
  if (/Id$/.test(field.name) && field.name.length > 2) return field.name.slice(0, -2);
  return undefined;
}

function leafValue(parent: { type: string; record: SalesforceRecord }, name: string, polymorphic: boolean): unknown {
  if (polymorphic && name === 'Type') return parent.type;
  const value = parent.record[name];
  return value === undefined || value === '' ? null : value;
}
