/** The contract between the query engine and the emulated org that owns the data. */

export interface FieldInfo {
  name: string;
  /** id, string, phone, email, picklist, reference, datetime, date, int, double, boolean, textarea, url, currency */
  type: string;
  referenceTo?: string[];
  relationshipName?: string | null;
  /** The object's name field (Account.Name, Case.Subject...); SOSL IN NAME FIELDS searches it. */
  nameField?: boolean;
  /** Text length; a textarea longer than 255 is a long text area, which queries can't filter or sort on. */
  length?: number;
}

export interface ObjectDescribe {
  name: string;
  fields: FieldInfo[];
}

export interface QuerySource {
  /** The object's describe; the engine normalises casing, so the source may match names exactly. */
  describe(object: string): ObjectDescribe | undefined;
  /** Live records: plain objects with Id and fields keyed by API name. */
  records(object: string): Array<Record<string, unknown>>;
  /** Optional: every object name the org knows, so names in any casing resolve (else a capitalised guess). */
  objectNames?(): string[];
}

export interface QueryOptions {
  /** Version used in `attributes.url` (default '62.0'). */
  apiVersion?: string;
  /** The clock for date literals such as TODAY and LAST_N_DAYS:n (default: now). Days are UTC days. */
  now?: Date;
}

export type SalesforceRecord = Record<string, unknown>;
