export type StoredRecord = Record<string, unknown> & { Id: string };

/** Undo steps of one transaction, so an all-or-none request can roll back what it already wrote. */
export class Transaction {
  private readonly undo: Array<() => void> = [];
  record(step: () => void): void {
    this.undo.push(step);
  }
  rollback(): void {
    for (const step of this.undo.reverse()) step();
    this.undo.length = 0;
  }
}

/** Live and recycled records per object (object names as the schema spells them). */
export class RecordStore {
  private readonly live = new Map<string, Map<string, StoredRecord>>();
  private readonly recycled = new Map<string, Map<string, StoredRecord>>();

  private table(map: Map<string, Map<string, StoredRecord>>, object: string): Map<string, StoredRecord> {
    let table = map.get(object);
    if (!table) {
      table = new Map();
      map.set(object, table);
    }
    return table;
  }

  get(object: string, id: string): StoredRecord | undefined {
    return this.live.get(object)?.get(id);
  }

  list(object: string, includeDeleted = false): StoredRecord[] {
    const rows = [...(this.live.get(object)?.values() ?? [])];
    if (includeDeleted) rows.push(...(this.recycled.get(object)?.values() ?? []));
    return rows;
  }

  put(object: string, record: StoredRecord, tx?: Transaction): void {
    const table = this.table(this.live, object);
    const previous = table.get(record.Id);
    table.set(record.Id, record);
    tx?.record(() => (previous ? table.set(record.Id, previous) : table.delete(record.Id)));
  }

  remove(object: string, id: string, tx?: Transaction): void {
    const table = this.table(this.live, object);
    const previous = table.get(id);
    if (!previous) return;
    table.delete(id);
    const bin = this.table(this.recycled, object);
    bin.set(id, { ...previous, IsDeleted: true });
    tx?.record(() => {
      bin.delete(id);
      table.set(id, previous);
    });
  }

  objects(): string[] {
    return [...new Set([...this.live.keys(), ...this.recycled.keys()])];
  }

  toJSON(): { live: Record<string, StoredRecord[]>; recycled: Record<string, StoredRecord[]> } {
    const dump = (map: Map<string, Map<string, StoredRecord>>) =>
      Object.fromEntries([...map].map(([object, table]) => [object, [...table.values()]]));
    return { live: dump(this.live), recycled: dump(this.recycled) };
  }

  load(data: { live: Record<string, StoredRecord[]>; recycled: Record<string, StoredRecord[]> }): void {
    this.live.clear();
    this.recycled.clear();
    for (const [object, rows] of Object.entries(data.live)) for (const row of rows) this.table(this.live, object).set(row.Id, row);
    for (const [object, rows] of Object.entries(data.recycled)) for (const row of rows) this.table(this.recycled, object).set(row.Id, row);
  }
}
