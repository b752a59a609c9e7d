/** The end-of-run summary on stderr and the exit code it implies. */
import type { DriftFinding } from '../core/drift.js';
import type { StreamOutcome } from '../core/engine.js';
import type { OutputWriter } from '../core/writer.js';
import type { ZendeskClient } from '../http/client.js';
import { log, thousands } from '../util/log.js';

export function summarise(outcomes: StreamOutcome[], client: ZendeskClient, writer: OutputWriter, started: number, drift: DriftFinding[] = []): number {
  const secs = (Date.now() - started) / 1000;
  const records = outcomes.reduce((n, o) => n + o.records, 0);
  const s = client.stats;
  log.info(
    `sync finished in ${secs.toFixed(1)}s: ${thousands(records)} records, ${s.requests} requests ` +
      `(${s.rateLimited} rate-limited, ${s.retries} retries), ${(writer.bytes / 1e6).toFixed(1)} MB written, ` +
      `${thousands(records / Math.max(secs, 0.001))} records/s`,
  );
  if (drift.length) {
    const streams = new Set(drift.map((f) => f.stream));
    log.warn(
      `schema drift: ${drift.length} field(s) not in the published schemas, in ${streams.size} stream(s): ` +
        drift.map((f) => `${f.stream}.${f.field}${f.types.length ? ` (${f.types.join('|')})` : ''}`).join(', '),
    );
  }
  const skipped = outcomes.filter((o) => o.status === 'skipped');
  if (skipped.length) log.warn(`skipped (not available for this account): ${skipped.map((o) => o.stream).join(', ')}`);
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length) {
    log.error(`${failed.length} stream(s) failed: ${failed.map((o) => `${o.stream} (${o.message ?? 'error'})`).join('; ')}`);
    return 1;
  }
  return 0;
}
