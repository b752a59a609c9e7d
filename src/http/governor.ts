/**
 * One rate-limit governor for every stream. Each bucket keeps a sliding
 * window of its own request times, so no window of the server's (fixed or
 * sliding) ever sees more than the budget: a normal sync gets no 429 at all.
 * Server headers and 429s tighten it further (other clients share the budget).
 */
import type { RateBucket } from '../streams/descriptor.js';

export interface GovernorOptions {
  windowMs: number;
  limits: Partial<Record<RateBucket, number>>;
  /** Buckets whose budget the config set: headers may lower it (the plan allows less), never raise it. Others follow the headers. */
  fixed?: RateBucket[];
  /** Called when a request must wait, and again every `heartbeatMs` while it waits. */
  onWait?: (info: { bucket: RateBucket; resetAt: number; stream: string | undefined }) => void;
  heartbeatMs?: number;
}

interface BucketState {
  limit: number;
  stamps: number[];
  blockedUntil: number;
}

/** Requests of the first window may go at once; after that they are spread by the window. */
const DEFAULT_LIMITS: Record<RateBucket, number> = { account: 700, export: 10, help_center: 700, chat: 200, talk: 3000 };

export class RateGovernor {
  private readonly buckets = new Map<RateBucket, BucketState>();
  private readonly margin: number;
  private readonly heartbeatMs: number;
  waitedMs = 0;

  constructor(private readonly opts: GovernorOptions) {
    // Our clock and the server's differ by the request latency: keep a small safety gap.
    this.margin = Math.min(250, opts.windowMs * 0.02);
    this.heartbeatMs = opts.heartbeatMs ?? 20_000;
  }

  private bucket(name: RateBucket): BucketState {
    let b = this.buckets.get(name);
    if (!b) {
      b = { limit: this.opts.limits[name] ?? DEFAULT_LIMITS[name], stamps: [], blockedUntil: 0 };
      this.buckets.set(name, b);
    }
    return b;
  }

  limit(name: RateBucket): number {
    return this.bucket(name).limit;
  }

  /** Earliest time a request may go on this bucket (<= now means now). */
  private readyAt(b: BucketState, now: number): number {
    const horizon = now - this.opts.windowMs - this.margin;
    let drop = 0;
    while (drop < b.stamps.length && b.stamps[drop]! <= horizon) drop++;
    if (drop) b.stamps.splice(0, drop);
    let at = b.blockedUntil;
    if (b.stamps.length >= b.limit) {
      at = Math.max(at, b.stamps[b.stamps.length - b.limit]! + this.opts.windowMs + this.margin);
    }
    return at;
  }

  /** Waits for a slot on every bucket; returns the slot's stamp, for `settle`. */
  async acquire(names: RateBucket[], stream?: string, stop?: AbortSignal): Promise<number> {
    let announced = 0;
    for (;;) {
      // A stopping run takes no new slot; the caller turns this into its cancellation.
      if (stop?.aborted) return Date.now();
      const now = Date.now();
      let at = 0;
      let waitingOn: RateBucket = names[0]!;
      for (const name of names) {
        const ready = this.readyAt(this.bucket(name), now);
        if (ready > at) {
          at = ready;
          waitingOn = name;
        }
      }
      if (at <= now) {
        for (const name of names) this.bucket(name).stamps.push(now);
        return now;
      }
      const wait = at - now;
      if (wait >= 1000 && now - announced >= this.heartbeatMs) {
        announced = now;
        this.opts.onWait?.({ bucket: waitingOn, resetAt: at, stream });
      }
      const slice = Math.min(wait, this.heartbeatMs);
      this.waitedMs += slice;
      await sleep(slice, stop);
    }
  }

  /**
   * The request is answered: move its stamp from "slot taken" to now. The
   * server counted it on arrival, which can lag the slot by a busy event loop
   * (another stream parsing a page); the answer is always later than the
   * arrival, so windows measured from it never undercount the server's.
   */
  settle(names: RateBucket[], stamp: number): void {
    const now = Date.now();
    for (const name of names) {
      const b = this.bucket(name);
      const i = b.stamps.lastIndexOf(stamp);
      if (i < 0) continue;
      b.stamps.splice(i, 1);
      let j = b.stamps.length;
      while (j > 0 && b.stamps[j - 1]! > now) j--;
      b.stamps.splice(j, 0, now);
    }
  }

  /** A 429 or 503 said "not before untilMs": every stream on these buckets waits. */
  block(names: RateBucket[], untilMs: number): void {
    for (const name of names) {
      const b = this.bucket(name);
      b.blockedUntil = Math.max(b.blockedUntil, untilMs);
    }
  }

  /** Reads Zendesk's rate-limit headers (both spellings) to learn the plan's budget and pause at zero. */
  observe(names: RateBucket[], headers: Record<string, string | undefined>): void {
    const now = Date.now();
    const accountLimit = Number(headers['x-rate-limit'] ?? headers['ratelimit-limit'] ?? headers['rate-limit-limit']);
    const accountRemaining = Number(headers['x-rate-limit-remaining'] ?? headers['ratelimit-remaining'] ?? headers['rate-limit-remaining']);
    const accountReset = Number(headers['ratelimit-reset'] ?? headers['rate-limit-reset']);
    if (names.includes('account') && Number.isFinite(accountLimit) && accountLimit > 0) {
      this.learn('account', accountLimit);
      if (Number.isFinite(accountRemaining) && accountRemaining <= 0 && Number.isFinite(accountReset)) {
        this.exhausted('account', now, accountReset);
      }
    }
    const exportHeader = headers['zendesk-ratelimit-incremental-exports'] ?? headers['zendesk-rate-limit-incremental-exports'];
    if (exportHeader && names.includes('export')) {
      const fields = Object.fromEntries(
        exportHeader.split(';').map((p) => p.trim().split('=') as [string, string]),
      );
      const remaining = Number(fields.remaining);
      const resets = Number(fields.resets);
      // 10 a minute, or 30 with the High Volume add-on: a budget set above the plan's would race into 429s.
      const total = Number(fields.total);
      if (Number.isFinite(total) && total > 0) this.learn('export', total);
      if (remaining <= 0 && Number.isFinite(resets)) this.exhausted('export', now, resets);
    }
  }

  private learn(name: RateBucket, limit: number): void {
    const b = this.bucket(name);
    if (!this.opts.fixed?.includes(name) || limit < b.limit) b.limit = limit;
  }

  /**
   * The server says the bucket is empty for `resetsSeconds` (whole seconds,
   * rounded up). When our own window already explains that, our accounting
   * (exact to the millisecond) decides; blocking on the rounded header would
   * idle up to a second per window. Only a reset later than ours by more than
   * the rounding means another client shares the budget: then the header wins.
   */
  private exhausted(name: RateBucket, now: number, resetsSeconds: number): void {
    const serverFree = now + Math.max(1, resetsSeconds) * 1000;
    const ownFree = this.readyAt(this.bucket(name), now);
    if (ownFree > now && serverFree <= ownFree + 1000) return;
    this.block([name], serverFree);
  }
}

/** Resolves after `ms`, or as soon as `stop` aborts. */
function sleep(ms: number, stop: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop?.addEventListener('abort', done, { once: true });
  });
}
