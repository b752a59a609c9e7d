import type { RateLimitOptions } from './options.js';

/**
 * Sliding-window limiter in real time (not the virtual clock): clients must
 * actually wait for Retry-After, and tests shrink `windowMs` to keep that short.
 * Rejected requests are not recorded, so a client that honours Retry-After
 * always gets through.
 */

export interface RateDecision {
  ok: boolean;
  bucket?: 'account' | 'export';
  retryAfter?: number;
  headers: Record<string, string>;
}

// docs /api-reference/introduction/rate-limits/ (plan rpm; incremental exports 10/min, 30 with High Volume);
// header names and formats [obs] (zendesk-api.md §4.2). Sliding window and "rejected requests are not
// counted": assumption (Zendesk does not document its window algorithm).
const NOMINAL: RateLimitOptions = { accountRpm: 700, exportRpm: 10, windowMs: 60_000 };

export class RateLimiter {
  private account: number[] = [];
  private exports: number[] = [];

  constructor(private readonly options: () => false | RateLimitOptions) {}

  reset(): void {
    this.account = [];
    this.exports = [];
  }

  private prune(log: number[], now: number, windowMs: number): number[] {
    let k = 0;
    while (k < log.length && log[k]! <= now - windowMs) k++;
    return k ? log.slice(k) : log;
  }

  private secondsUntilFree(log: number[], now: number, windowMs: number): number {
    if (!log.length) return Math.max(1, Math.ceil(windowMs / 1000));
    return Math.max(1, Math.ceil((log[0]! + windowMs - now) / 1000));
  }

  /** Records the request when allowed. `consume: false` only reports headers. */
  check(isExport: boolean, consume = true, now = Date.now()): RateDecision {
    const opts = this.options();
    const o = opts || NOMINAL;
    this.account = this.prune(this.account, now, o.windowMs);
    this.exports = this.prune(this.exports, now, o.windowMs);
    let decision: Omit<RateDecision, 'headers'> = { ok: true };
    if (opts && consume) {
      if (this.account.length >= o.accountRpm) {
        decision = { ok: false, bucket: 'account', retryAfter: this.secondsUntilFree(this.account, now, o.windowMs) };
      } else if (isExport && this.exports.length >= o.exportRpm) {
        decision = { ok: false, bucket: 'export', retryAfter: this.secondsUntilFree(this.exports, now, o.windowMs) };
      } else {
        this.account.push(now);
        if (isExport) this.exports.push(now);
      }
    }
    const accountRemaining = opts ? Math.max(0, o.accountRpm - this.account.length) : o.accountRpm - 1;
    const reset = this.secondsUntilFree(this.account, now, o.windowMs);
    const headers: Record<string, string> = {
      'x-rate-limit': String(o.accountRpm),
      'x-rate-limit-remaining': String(accountRemaining),
      'ratelimit-limit': String(o.accountRpm),
      'ratelimit-remaining': String(accountRemaining),
      'ratelimit-reset': String(reset),
    };
    // Without limits there is no export budget to report: a client learning it from the header would
    // otherwise throttle itself to the nominal 10 a minute against a server that never refuses.
    if (isExport && opts) {
      const remaining = Math.max(0, o.exportRpm - this.exports.length);
      headers['zendesk-ratelimit-incremental-exports'] = `total=${o.exportRpm}; remaining=${remaining}; resets=${this.secondsUntilFree(this.exports, now, o.windowMs)}`;
    }
    return { ...decision, headers };
  }
}
