/**
 * Deterministic randomness. Records are generated on demand from (seed, index),
 * so every value must be a pure function of its inputs: no shared PRNG state
 * for data, only for the fault schedule (which is per-request by nature).
 */

function mix(h: number, v: number): number {
  // Ids exceed 2^32, so fold the high word in instead of truncating it.
  const lo = v >>> 0;
  const hi = Math.floor(v / 4294967296) >>> 0;
  h = Math.imul(h ^ lo, 0x85ebca6b);
  h = (h << 13) | (h >>> 19);
  h = Math.imul(h ^ hi, 0xc2b2ae35);
  h = (h << 15) | (h >>> 17);
  return h;
}

/** 32-bit hash of any number of numeric inputs. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) h = mix(h, p);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) from the inputs. */
export function unit(...parts: number[]): number {
  return hash32(...parts) / 4294967296;
}

/** Integer in [0, n). */
export function below(n: number, ...parts: number[]): number {
  return Math.floor(unit(...parts) * n);
}

export function pick<T>(items: readonly T[], ...parts: number[]): T {
  return items[below(items.length, ...parts)] as T;
}

/** Stateful PRNG (mulberry32) for the random fault schedule. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = hash32(seed) || 1;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
