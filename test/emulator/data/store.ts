import type { Rec } from './collection.js';
import { hash32 } from '../rng.js';

/**
 * Small resources (configuration lists, Talk, Chat, Help Center): each one a
 * plain array built on first use from (seed) and then mutable, so tests can
 * change or add records. Large, index-addressed data lives in `Collection`.
 */
export type Builders = Record<string, () => Rec[]>;

export class Store {
  private readonly lists = new Map<string, Rec[]>();

  constructor(private readonly builders: Builders) {}

  has(name: string): boolean {
    return Object.hasOwn(this.builders, name);
  }

  /** The live array (mutations through `put` show up in it). */
  all(name: string): Rec[] {
    let list = this.lists.get(name);
    if (!list) {
      const build = this.builders[name];
      if (!build) throw new Error(`emulator: no resource "${name}"`);
      list = build();
      this.lists.set(name, list);
    }
    return list;
  }

  find(name: string, value: unknown, key = 'id'): Rec | undefined {
    return this.all(name).find((r) => r[key] === value);
  }

  /** Replaces the record with the same key, or appends it. */
  put(name: string, rec: Rec, key = 'id'): void {
    const list = this.all(name);
    const at = list.findIndex((r) => r[key] === rec[key]);
    if (at >= 0) list[at] = rec;
    else list.push(rec);
  }

  remove(name: string, value: unknown, key = 'id'): void {
    const list = this.all(name);
    const at = list.findIndex((r) => r[key] === value);
    if (at >= 0) list.splice(at, 1);
  }
}

/** Deterministic ULID-looking id (26 Crockford base-32 characters) from numbers. */
export function ulid(...parts: number[]): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let out = '01H';
  for (let k = 0; out.length < 26; k++) out += alphabet[hash32(...parts, k) % 32];
  return out;
}

/** Deterministic UUID-looking id. */
export function uuid(...parts: number[]): string {
  const hex = ulid(...parts, 7).toLowerCase() + ulid(...parts, 11).toLowerCase();
  const h = [...hex].map((c) => (c.charCodeAt(0) % 16).toString(16)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
