/**
 * Read access to what Motion posted, whatever its shape: flat form fields (`calleridnum=…`,
 * `contact[firstName]=…`), flat JSON, or nested JSON (`{"contact": {"firstName": …}}`).
 *
 * Every leaf gets a canonical key: its path joined, lower-cased, with everything but letters and digits
 * removed, so `contact.firstName`, `contact[firstName]`, `contact_firstname` and `contactFirstName` are
 * the same key `contactfirstname`. Motion admins type these names by hand in a trigger body, so spelling
 * must not matter. Leaves that the mapper uses are marked; the rest are handed back, in their original
 * shape, as the interaction's free variables.
 */

type Leaf = { path: string[]; value: unknown; used: boolean };

export class MotionPayload {
  private readonly leaves: Leaf[] = [];
  private readonly byKey = new Map<string, Leaf>();

  constructor(payload: Record<string, unknown>) {
    this.collect(payload, []);
  }

  private collect(node: Record<string, unknown>, path: string[]): void {
    for (const [key, value] of Object.entries(node)) {
      const leafPath = [...path, key];
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        this.collect(value as Record<string, unknown>, leafPath);
        continue;
      }
      const leaf: Leaf = { path: leafPath, value, used: false };
      this.leaves.push(leaf);
      const canonical = canonicalKey(leafPath.join('.'));
      // On a spelling collision the first one wins; the other stays a free variable, never lost.
      if (canonical && !this.byKey.has(canonical)) this.byKey.set(canonical, leaf);
    }
  }

  /** Whether any of the names carries a usable value (does not mark it used). */
  has(names: readonly string[]): boolean {
    return names.some((name) => usable(this.byKey.get(canonicalKey(name))?.value));
  }

  /**
   * The first of `names` whose value is usable (not empty, not an unfilled `{{placeholder}}`) and that
   * `accept` (if given) turns into a result. The leaf that gave the value is marked used.
   * Returns the original key too, so errors can name the field the admin wrote.
   */
  take<T = string>(names: readonly string[], accept?: (text: string) => T | undefined): { value: T; key: string } | undefined {
    for (const name of names) {
      const leaf = this.byKey.get(canonicalKey(name));
      if (!leaf || !usable(leaf.value)) continue;
      const text = String(leaf.value).trim();
      const value = accept ? accept(text) : (text as T);
      if (value === undefined) continue;
      leaf.used = true;
      return { value, key: leaf.path.join('.') };
    }
    return undefined;
  }

  /** The raw leaf value (e.g. an array of tags) for the first present name; marks it used. */
  takeRaw(names: readonly string[]): { value: unknown; key: string } | undefined {
    for (const name of names) {
      const leaf = this.byKey.get(canonicalKey(name));
      if (!leaf || !usable(leaf.value)) continue;
      leaf.used = true;
      return { value: leaf.value, key: leaf.path.join('.') };
    }
    return undefined;
  }

  /** Marks a leaf used without reading it (fields that only steer the mapping, like `timezone`). */
  consume(names: readonly string[]): void {
    for (const name of names) {
      const leaf = this.byKey.get(canonicalKey(name));
      if (leaf) leaf.used = true;
    }
  }

  /** Every leaf the mapper did not use, rebuilt with its original keys and nesting. */
  unused(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const leaf of this.leaves) {
      if (leaf.used) continue;
      let node = out;
      leaf.path.slice(0, -1).forEach((segment) => {
        const next = node[segment];
        if (next === null || typeof next !== 'object' || Array.isArray(next)) node[segment] = {};
        node = node[segment] as Record<string, unknown>;
      });
      node[leaf.path[leaf.path.length - 1]] = leaf.value;
    }
    return out;
  }
}

export function canonicalKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Motion leaves a variable it could not fill either empty or as the literal `{{name}}`. */
function usable(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'object') return false;
  const text = String(value).trim();
  return text.length > 0 && !/^\{\{.*\}\}$/.test(text);
}
