/**
 * Run-time checks of the server guarantees the paginators rely on. Each one
 * guards a way a misbehaving (or changed) API would otherwise make the tap
 * lose or repeat data while reporting success: a filter not honoured, a
 * cursor or window that does not advance, an end marker that never comes, a
 * feed out of its documented order, a body without its records. A broken
 * guarantee stops the stream with one line naming it and the request id; the
 * stream's state stays at its last good page and the run exits non-zero.
 */
import { TapError } from '../../util/errors.js';
import { recordEpoch } from '../../state/position.js';
import type { StreamDescriptor } from '../../streams/descriptor.js';
import type { JsonObject } from '../events.js';

export class GuaranteeError extends TapError {
  readonly requestId: string | undefined;
  /** The message leaves the stream out: whoever reports the error names it once. */
  constructor(
    readonly stream: string,
    broken: string,
    requestId: string | undefined,
  ) {
    super(
      `Zendesk broke a guarantee this tap relies on: ${broken}${requestId ? ` (x-request-id ${requestId})` : ''}. ` +
        'The stream stopped at its last good page rather than lose or repeat records; please report this with the request id.',
      'system',
    );
    this.requestId = requestId;
  }
}

const isoOf = (epoch: number): string => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Every record of an export page lies inside the window the tap asked for:
 * at or after `start_time` (the filter is honoured) and, where the page states
 * an `end_time`, not after it (the next page starts there).
 */
export function checkWindow(label: string, d: StreamDescriptor, records: JsonObject[], from: number, to: number | undefined, requestId: string | undefined): void {
  for (const r of records) {
    const v = recordEpoch(r, d);
    if (v === undefined) continue;
    if (v < from) {
      throw new GuaranteeError(label, `a record (${d.replicationKey} ${isoOf(v)}) is older than the start_time asked for (${isoOf(from)}): the start_time filter was not honoured`, requestId);
    }
    if (to !== undefined && v > to) {
      throw new GuaranteeError(label, `a record (${d.replicationKey} ${isoOf(v)}) is newer than the page's end_time (${isoOf(to)}), where the next page starts`, requestId);
    }
  }
}

/** Newest-first feeds: each record is no newer than the one before it (across pages too). */
export class DescendingOrder {
  private previous: number | undefined;

  constructor(
    private readonly label: string,
    private readonly d: StreamDescriptor,
  ) {}

  check(records: JsonObject[], requestId: string | undefined): void {
    for (const r of records) {
      const v = recordEpoch(r, this.d);
      if (v === undefined) continue;
      if (this.previous !== undefined && v > this.previous) {
        throw new GuaranteeError(this.label, `the feed is not newest-first (${isoOf(v)} came after ${isoOf(this.previous)}), so stopping at the bookmark could skip records`, requestId);
      }
      this.previous = v;
    }
  }
}

/** A paging cursor that says "more" must be there and must move. */
export function checkCursorAdvances(label: string, next: string | undefined, previous: string | undefined, requestId: string | undefined): void {
  if (next === undefined) throw new GuaranteeError(label, 'a page says more records follow but gives no cursor to them (no end marker either)', requestId);
  if (next === previous) throw new GuaranteeError(label, 'the page cursor did not advance (the same cursor came back), so paging would never end', requestId);
}

/**
 * A 200 body must carry its records under the documented key (an empty list
 * is fine): a body without it would read as "nothing there" when nothing was read.
 */
export function checkRecordsKey(label: string, d: StreamDescriptor, body: unknown, requestId: string | undefined): void {
  if (d.reshape || d.recordsKey === '') return;
  const present = body !== null && typeof body === 'object' && !Array.isArray(body) && d.recordsKey in (body as JsonObject);
  if (!present) throw new GuaranteeError(label, `the response has no "${d.recordsKey}" list, so its records could not be read`, requestId);
}
