/**
 * Keeps a long sync's heap near its live size. The heap limit on a big
 * machine is gigabytes, so V8 lets garbage pile up in the old generation
 * long before it collects, and RSS drifts up for as long as a sync runs even
 * though nothing is retained (the live heap stays ~15 MB). A full collection
 * after every 50,000 records written bounds it (every 20,000 bounded RSS
 * further but cost up to 9% of throughput; see docs/benchmark.md, finding 12).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const EVERY_RECORDS = 50_000;
let since = 0;
let collect: (() => void) | null | undefined;

export function afterRecords(n: number): void {
  since += n;
  if (since < EVERY_RECORDS) return;
  since = 0;
  if (collect === undefined) {
    try {
      // The documented way to reach gc() without a command-line flag (the CLI runs as a plain bin).
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
