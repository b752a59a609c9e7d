/**
 * Keeps a long sync's heap near its live size. The heap limit on a big
 * machine is gigabytes, so V8 lets garbage pile up in the old generation
 * (and page bodies in large-object space) long before it collects, and RSS
 * drifts up for as long as a sync runs even though nothing is retained.
 *
 * A full collection runs once the heap, with the buffers it owns, has grown
 * by GROWTH_BYTES since the last one. Growth rather than a record count,
 * because garbage follows bytes parsed and pages in flight: big records
 * (tickets with metric sets) and concurrent streams collect sooner, a
 * tickets-only sync on V8's own schedule. Measured against a collection
 * every 50,000 records: 7 streams 201 -> 159-164 MB, tickets + ticket_metrics
 * at 1M 216 -> 155 MB, same throughput (docs/benchmark.md, finding 12).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { log } from './log.js';

const GROWTH_BYTES = 32 * 2 ** 20;
let baseline: number | undefined;
let collect: (() => void) | null | undefined;
let collections = 0;

function heapBytes(): number {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

/** Called after each page is written and no longer referenced. */
export function afterPage(): void {
  const now = heapBytes();
  if (baseline === undefined || now < baseline) {
    // V8 collected on its own: measure growth from there.
    baseline = now;
    return;
  }
  if (now - baseline < GROWTH_BYTES) return;
  if (collect === undefined) {
    try {
      // The documented way to reach gc() without a command-line flag (the CLI runs as a plain bin).
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  if (!collect) return;
  const started = performance.now();
  collect();
  baseline = heapBytes();
  collections++;
  log.debug(`heap: full collection ${collections} in ${(performance.now() - started).toFixed(0)} ms, ${(now / 2 ** 20).toFixed(0)} -> ${(baseline / 2 ** 20).toFixed(0)} MB`);
}
