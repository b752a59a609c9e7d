/** Per-stream counters and the periodic progress line on stderr (long syncs must not look hung). */
import { log, thousands } from '../util/log.js';

export interface StreamCounters {
  records: number;
  pages: number;
  startedAt: number;
  finishedAt?: number;
}

export class Progress {
  readonly streams = new Map<string, StreamCounters>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs: number) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => this.report(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  counters(stream: string): StreamCounters {
    let c = this.streams.get(stream);
    if (!c) {
      c = { records: 0, pages: 0, startedAt: Date.now() };
      this.streams.set(stream, c);
    }
    return c;
  }

  private report(): void {
    for (const [name, c] of this.streams) {
      if (c.finishedAt) continue;
      const secs = (Date.now() - c.startedAt) / 1000;
      log.info(`progress: ${name} ${thousands(c.records)} records, ${c.pages} pages, ${thousands(c.records / Math.max(secs, 0.001))} records/s`);
    }
  }
}
