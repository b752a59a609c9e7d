/**
 * Child streams (comments per article, side conversations per ticket): the
 * parent stream is walked incrementally from the child's own state, so an
 * unchanged parent is never read again, and one checkpoint follows each
 * parent, so a crash resumes at the next parent instead of the first.
 * With `parent.sweep` every parent is read again now and then (sweep.ts).
 */
import { getStream } from '../../streams/registry.js';
import { StreamUnavailableError } from '../../util/errors.js';
import { log } from '../../util/log.js';
import { recordEpoch, type Position, type RecordId } from '../../state/position.js';
import type { JsonObject } from '../events.js';
import { idOf } from './common.js';
import type { Page, Paginator, PaginatorContext } from './types.js';
import { endOfPass, planSweep } from './sweep.js';
import type { StreamDescriptor } from '../../streams/descriptor.js';

export function childPaginator(paginatorOf: (d: StreamDescriptor) => Paginator, byKind: (kind: string) => Paginator | undefined): Paginator {
  return async function* (ctx) {
    const child = ctx.stream;
    const link = child.parent!;
    const listed = getStream(link.stream);
    // The parent walk needs ids and change times only: side-loads are for the parent's own members
    // (a sync of side_conversations alone must not ask the ticket export for metric_sets).
    const parentD = listed && { ...listed, sideloads: undefined };
    // A parent may itself be a child (votes of a comment of an article).
    const walkParents = parentD && paginatorOf(parentD);
    const listChildren = byKind(child.paginator);
    if (!parentD || !walkParents || !listChildren) throw new Error(`${child.name}: parent ${link.stream} or its paginator is unknown`);
    if (link.each) {
      yield* eachParent(ctx, parentD, walkParents, listChildren);
      return;
    }
    const { parentStart, restart, marks } = planSweep(link, ctx.start, ctx.config, Math.floor(Date.now() / 1000));
    if (marks.sweepStarted !== undefined && !ctx.start.sweepStarted) log.info(`${ctx.label}: reading the children of every ${link.stream} record (child_sweep_hours)`);
    let pageStart = parentStart;
    let alreadyDone = new Set<RecordId>(restart ? [] : (ctx.start.parentDone ?? []));

    // `parent.distinct`: paths listed on this parent page. Every record of a page is older than its fetch, so
    // a listing made after it holds them all; a later page may hold newer ones and lists again.
    let visited = new Set<string>();
    // Paths the resumed run listed on this page, and how far that page reached: only records before it are covered.
    const resumed = new Set<string>();
    const resumedUntil = ctx.start.parentUntil;
    for await (const parentPage of walkParents({ ...ctx, stream: parentD, start: parentStart, path: parentD.path })) {
      const done: RecordId[] = [];
      const until = parentPage.position.value;
      for (const parent of parentPage.records) {
        const pid = idOf(parent, parentD);
        done.push(pid);
        const { stamp, path } = childPath(child, parent);
        if (alreadyDone.has(pid)) {
          if (link.distinct) resumed.add(path);
          continue;
        }
        const records: JsonObject[] = [];
        if (link.distinct) {
          if (visited.has(path)) continue;
          const at = recordEpoch(parent, parentD);
          if (resumed.has(path) && resumedUntil !== undefined && at !== undefined && at < resumedUntil) continue;
          visited.add(path);
        }
        try {
          for await (const page of listChildren({ ...ctx, start: {}, path })) {
            for (const r of page.records) records.push({ ...stamp, ...r });
          }
        } catch (err) {
          // A parent deleted since it was listed: its children are gone too.
          if (err instanceof StreamUnavailableError && err.status === 404) {
            log.debug(`${ctx.label}: ${path} answered 404, skipping that ${parentD.name} record`);
          } else {
            throw err;
          }
        }
        const reach = link.distinct && until !== undefined ? { parentUntil: until } : {};
        yield { records, body: {}, position: { ...marks, ...reach, parent: pageStart, parentDone: [...done] }, extractedAt: Date.now() };
      }
      pageStart = parentPage.position;
      alreadyDone = new Set();
      resumed.clear();
      visited = new Set();
      const last = parentPage.last === true;
      yield { records: [], body: {}, position: { ...(last ? endOfPass(marks) : marks), parent: pageStart }, extractedAt: Date.now(), last };
    }
  };
}

function childPath(child: StreamDescriptor, parent: JsonObject): { stamp: JsonObject; path: string } {
  const stamp = Object.fromEntries(Object.entries(child.parent!.fields).map(([field, from]) => [field, parent[from]]));
  const path = child.path.replace(/\{(\w+)\}/g, (_m, field: string) => encodeURIComponent(String(stamp[field] ?? '')));
  return { stamp, path };
}

/**
 * `parent.each`: every parent is listed on every run (small lists such as
 * custom object definitions, which do not change when their records do) and
 * each keeps its own position in `partitions`, keyed by parent id.
 */
async function* eachParent(ctx: PaginatorContext, parentD: StreamDescriptor, walkParents: Paginator, listChildren: Paginator): AsyncGenerator<Page, void, undefined> {
  const child = ctx.stream;
  const partitions: Record<string, Position> = { ...(ctx.start.partitions ?? {}) };
  for await (const parentPage of walkParents({ ...ctx, stream: parentD, start: {}, path: parentD.path })) {
    for (const parent of parentPage.records) {
      const key = String(idOf(parent, parentD));
      const { stamp, path } = childPath(child, parent);
      try {
        for await (const page of listChildren({ ...ctx, start: partitions[key] ?? {}, path })) {
          partitions[key] = page.position;
          yield { records: page.records.map((r) => ({ ...stamp, ...r })), body: page.body, position: { partitions: { ...partitions } }, extractedAt: page.extractedAt };
        }
      } catch (err) {
        if (!(err instanceof StreamUnavailableError && err.status === 404)) throw err;
        log.debug(`${ctx.label}: ${path} answered 404, skipping that ${parentD.name} record`);
      }
    }
  }
  yield { records: [], body: {}, position: { partitions: { ...partitions } }, extractedAt: Date.now(), last: true };
}
