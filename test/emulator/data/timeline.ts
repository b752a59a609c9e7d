import { unit } from '../rng.js';

/** Base data lives between these instants, so it is always older than "now". */
export const RANGE_START = Date.UTC(2023, 0, 1) / 1000;
export const RANGE_END = Date.UTC(2024, 11, 31) / 1000;

export interface Cluster {
  /** Position as a fraction of the collection. */
  at: number;
  /** Number of consecutive records sharing one second. */
  len: number;
}

/**
 * Maps record index -> timestamp, non-decreasing in the index, so a
 * collection of a million records can be sought by binary search instead of
 * being sorted in memory. Clusters and adjacent pairs create shared seconds,
 * which the same-timestamp rules of the exports need.
 */
export class Timeline {
  private readonly spacing: number;
  private readonly clusters: Array<{ start: number; end: number }>;

  constructor(
    private readonly seed: number,
    private readonly salt: number,
    readonly n: number,
    clusters: Cluster[],
    private readonly pairRate = 0.12,
  ) {
    this.spacing = (RANGE_END - RANGE_START) / Math.max(1, n);
    this.clusters = clusters
      .map((c) => {
        const start = Math.floor(n * c.at);
        return { start, end: Math.min(n, start + c.len) };
      })
      .filter((c) => c.end - c.start > 1);
  }

  /** Index whose slot this record shares (itself unless clustered or paired). */
  private leader(i: number): number {
    for (const c of this.clusters) if (i >= c.start && i < c.end) return c.start;
    if (i % 2 === 1 && !this.inCluster(i - 1) && unit(this.seed, this.salt, i >> 1) < this.pairRate) return i - 1;
    return i;
  }

  private inCluster(i: number): boolean {
    return this.clusters.some((c) => i >= c.start && i < c.end);
  }

  ts(i: number): number {
    const k = this.leader(i);
    const slot = Math.floor(k * this.spacing);
    // Jitter stays below half a slot, which keeps ts() monotone.
    const jitter = Math.floor(unit(this.seed, this.salt + 1, k) * Math.floor(this.spacing / 2));
    return RANGE_START + slot + jitter;
  }

  /** First index whose ts >= t (n when none). */
  firstAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
