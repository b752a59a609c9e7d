import type { Timeline } from './timeline.js';

export type Rec = Record<string, unknown>;

/** Ascending (ts, id). */
export function byTsId(a: { ts: number; id: number }, b: { ts: number; id: number }): number {
  return a.ts - b.ts || a.id - b.id;
}

/**
 * A large collection of generated records plus an overlay of mutations.
 * Base record i has id `idBase + i + 1` and timestamp `timeline.ts(i)`, so both
 * orders (by id and by timestamp) are index order and need no sorting. Changed
 * or created records move to the overlay, which is small and kept sorted.
 */
export class Collection {
  private readonly overlay = new Map<number, Rec>();
  private sorted: Array<{ ts: number; id: number }> | null = null;
  private nextIndex: number;
  version = 0;

  constructor(
    readonly timeline: Timeline,
    readonly idBase: number,
    private readonly make: (i: number) => Rec,
    readonly tsOf: (r: Rec) => number,
  ) {
    this.nextIndex = timeline.n;
  }

  get n(): number {
    return this.timeline.n;
  }

  idAt(i: number): number {
    return this.idBase + i + 1;
  }

  indexOf(id: number): number {
    return id - this.idBase - 1;
  }

  isOverlaid(id: number): boolean {
    return this.overlay.has(id);
  }

  get(id: number): Rec | undefined {
    const o = this.overlay.get(id);
    if (o) return o;
    const i = this.indexOf(id);
    return Number.isInteger(i) && i >= 0 && i < this.n ? this.make(i) : undefined;
  }

  put(rec: Rec): void {
    this.overlay.set(rec.id as number, rec);
    this.sorted = null;
    this.version++;
  }

  /** Reserves the index of a new record. */
  allocate(): number {
    return this.nextIndex++;
  }

  private overlayByTs(): Array<{ ts: number; id: number }> {
    if (!this.sorted) {
      this.sorted = [...this.overlay.values()].map((r) => ({ ts: this.tsOf(r), id: r.id as number })).sort(byTsId);
    }
    return this.sorted;
  }

  /** Records with ts >= fromTs in ascending (ts, id). */
  *byTs(fromTs: number): Generator<Rec> {
    const ov = this.overlayByTs();
    let j = 0;
    while (j < ov.length && ov[j]!.ts < fromTs) j++;
    for (let i = this.timeline.firstAtOrAfter(fromTs); i < this.n; i++) {
      const id = this.idAt(i);
      if (this.overlay.has(id)) continue;
      const ts = this.timeline.ts(i);
      while (j < ov.length && byTsId(ov[j]!, { ts, id }) < 0) yield this.overlay.get(ov[j++]!.id)!;
      yield this.make(i);
    }
    while (j < ov.length) yield this.overlay.get(ov[j++]!.id)!;
  }

  /** Records ordered by id, strictly after `afterId` (or from the start). */
  *byId(afterId?: number, desc = false): Generator<Rec> {
    const created = [...this.overlay.keys()].filter((id) => this.indexOf(id) >= this.n).sort((a, b) => a - b);
    if (!desc) {
      const start = afterId === undefined ? 0 : Math.max(0, this.indexOf(afterId) + 1);
      for (let i = start; i < this.n; i++) yield this.get(this.idAt(i))!;
      for (const id of created) if (afterId === undefined || id > afterId) yield this.overlay.get(id)!;
    } else {
      for (const id of created.reverse()) if (afterId === undefined || id < afterId) yield this.overlay.get(id)!;
      const start = afterId === undefined ? this.n - 1 : Math.min(this.n - 1, this.indexOf(afterId) - 1);
      for (let i = start; i >= 0; i--) yield this.get(this.idAt(i))!;
    }
  }

  /** Ids in the overlay (changed base records and created ones). */
  overlayIds(): number[] {
    return [...this.overlay.keys()];
  }
}

/**
 * Merges per-parent event lists into one ascending (ts, id) stream without
 * materialising them all. It relies on a lower bound for the earliest event of
 * every parent at or after index i, which the generators guarantee by keeping
 * events within a bounded lag of the parent's own timestamp.
 */
export function* laggedMerge<T extends { ts: number; id: number }>(
  startIndex: number,
  n: number,
  eventsOf: (i: number) => T[],
  lowerBound: (i: number) => number,
  fromTs: number,
): Generator<T> {
  let i = startIndex;
  let pending: T[] = [];
  let head = 0;
  for (;;) {
    const bound = i < n ? lowerBound(i) : Infinity;
    if (head < pending.length && pending[head]!.ts < bound) {
      while (head < pending.length && pending[head]!.ts < bound) yield pending[head++]!;
      continue;
    }
    if (i >= n) return;
    pending = pending.slice(head);
    head = 0;
    for (let k = 0; k < 64 && i < n; k++, i++) {
      for (const e of eventsOf(i)) if (e.ts >= fromTs) pending.push(e);
    }
    pending.sort(byTsId);
  }
}

/** Two ascending (ts, id) streams into one. */
export function* mergeSorted<T extends { ts: number; id: number }>(a: Iterable<T>, b: Iterable<T>): Generator<T> {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  let x = ia.next();
  let y = ib.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && byTsId(x.value, y.value) <= 0)) {
      yield x.value as T;
      x = ia.next();
    } else {
      yield y.value;
      y = ib.next();
    }
  }
}
