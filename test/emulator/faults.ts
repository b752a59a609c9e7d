import { E, type Reply } from './errors.js';
import type { FaultOptions } from './options.js';
import { Rng } from './rng.js';

export type FaultKind =
  | '429'
  | '429-text'
  | '429-edge'
  | '503'
  | '500'
  | '502'
  | '504'
  | '520'
  | '524'
  | '409'
  | 'reset'
  | 'truncate'
  | 'slow';

/** Faults that replace the response entirely; the others alter delivery of a real one. */
export const STATUS_FAULTS: ReadonlySet<FaultKind> = new Set(['429', '429-text', '429-edge', '503', '500', '502', '504', '520', '524', '409']);

const FIVE_XX: FaultKind[] = ['500', '502', '504', '520', '524'];

/**
 * Per-request fault schedule: an explicit queue (failNext) first, then random
 * draws from a seeded PRNG so a flaky run can be replayed exactly.
 */
export class FaultInjector {
  private queue: Array<{ kind: FaultKind; remaining: number; prefix?: string }> = [];
  private rng: Rng;
  private seededWith: number;

  constructor(private readonly options: () => FaultOptions) {
    this.seededWith = options().faultSeed ?? 1;
    this.rng = new Rng(this.seededWith);
  }

  failNext(kind: FaultKind, count = 1, prefix?: string): void {
    this.queue.push({ kind, remaining: count, ...(prefix ? { prefix } : {}) });
  }

  draw(path: string): FaultKind | null {
    const idx = this.queue.findIndex((f) => !f.prefix || path.startsWith(f.prefix));
    if (idx >= 0) {
      const f = this.queue[idx]!;
      if (--f.remaining <= 0) this.queue.splice(idx, 1);
      return f.kind;
    }
    const o = this.options();
    if ((o.faultSeed ?? 1) !== this.seededWith) {
      this.seededWith = o.faultSeed ?? 1;
      this.rng = new Rng(this.seededWith);
    }
    const table: Array<[number | undefined, () => FaultKind]> = [
      [o.rate429, () => '429'],
      [o.rate503, () => '503'],
      [o.rate5xx, () => FIVE_XX[Math.floor(this.rng.next() * FIVE_XX.length)]!],
      [o.rateReset, () => 'reset'],
      [o.rateTruncated, () => 'truncate'],
      [o.rateSlow, () => 'slow'],
    ];
    if (!table.some(([p]) => p)) return null;
    let u = this.rng.next();
    for (const [p, kind] of table) {
      if (!p) continue;
      if (u < p) return kind();
      u -= p;
    }
    return null;
  }
}

/** Bodies per zendesk-api.md §4.3 (429 JSON/text/edge, 503 + Retry-After, 502/504 HTML, 520/524, 409). */
export function faultReply(kind: FaultKind, isExport: boolean, retryAfter: number): Reply {
  switch (kind) {
    case '429':
      return isExport ? E.exportRateLimited(retryAfter) : E.accountRateLimited(retryAfter);
    case '429-text':
      return E.accountRateLimitedText(retryAfter);
    case '429-edge':
      return E.edgeProtection(retryAfter);
    case '503':
      return E.unavailable(retryAfter);
    case '500':
      return E.internal();
    case '502':
      return E.badGateway();
    case '504':
      return E.gatewayTimeout();
    case '520':
    case '524':
      return E.cloudflare(Number(kind) as 520 | 524);
    case '409':
      return E.conflict();
    default:
      throw new Error(`${kind} is not a status fault`);
  }
}
