/**
 * Child streams (comments per article, side conversations per ticket): the
 * parent stream is walked incrementally from the child's own state, so an
 * unchanged parent is never read again, and one checkpoint follows each
 * parent, so a crash resumes at the next parent instead of the first.
 */
import { getStream } from '../../streams/registry.js';
import { StreamUnavailableError } from '../../util/errors.js';
import { log } from '../../util/log.js';
import type { Position, RecordId } from '../../state/position.js';
import type { JsonObject } from '../events.js';
import { idOf } from './common.js';
import type { Paginator } from './types.js';

export function childPaginator(byKind: (kind: string) => Paginator | undefined): Paginator {
  return async function* (ctx) {
    const child = ctx.stream;
    const link = child.parent!;
    const parentD = getStream(link.stream);
    const walkParents = parentD && byKind(parentD.paginator);
    const listChildren = byKind(child.paginator);
    if (!parentD || !walkParents || !listChildren) throw new Error(`${child.name}: parent ${link.stream} or its paginator is unknown`);
    const parentStart: Position = ctx.start.parent ?? {};
    let pageStart = parentStart;
    let alreadyDone = new Set<RecordId>(ctx.start.parentDone ?? []);

    for await (const parentPage of walkParents({ ...ctx, stream: parentD, start: parentStart, path: parentD.path })) {
      const done: RecordId[] = [];
      for (const parent of parentPage.records) {
        const pid = idOf(parent, parentD);
        done.push(pid);
        if (alreadyDone.has(pid)) continue;
        const records: JsonObject[] = [];
        const stamp = Object.fromEntries(Object.entries(link.fields).map(([field, from]) => [field, parent[from]]));
        const path = child.path.replace(/\{(\w+)\}/g, (_m, field: string) => encodeURIComponent(String(stamp[field] ?? '')));
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
        yield { records, body: {}, position: { parent: pageStart, parentDone: [...done] }, extractedAt: Date.now() };
      }
      pageStart = parentPage.position;
      alreadyDone = new Set();
      yield { records: [], body: {}, position: { parent: pageStart }, extractedAt: Date.now() };
    }
  };
}
