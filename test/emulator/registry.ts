import { E, ReplyError, type Reply } from './errors.js';
import type { Dataset } from './data/dataset.js';
import type { Rec } from './data/collection.js';
import {
  type ClockCtx,
  type ExportSpec,
  type ListOptions,
  type ListSource,
  type PageReq,
  type TimeExportOptions,
  cursorExport,
  cursorList,
  cursorOrOffset,
  noPaging,
  offsetList,
  sinceIdList,
  timeExport,
} from './pagination.js';

/**
 * Path -> handler table. Most resources are one line built with the helpers
 * below (see README.md, "Adding a resource").
 */

export interface RouteCtx extends PageReq {
  params: Record<string, string>;
  clock: ClockCtx;
  data: Dataset;
}

/** A plain object answers 200 JSON. */
export type Handler = (c: RouteCtx) => Reply | Rec;

interface Entry {
  segments: string[];
  handle: Handler;
}

export class Registry {
  private readonly entries: Entry[] = [];

  /** `path` without `.json`; `{name}` segments capture parameters. */
  add(path: string, handle: Handler): this {
    this.entries.push({ segments: path.split('/').filter(Boolean), handle });
    return this;
  }

  match(path: string): { handle: Handler; params: Record<string, string> } | null {
    const parts = path.split('/').filter(Boolean);
    // Literal segments beat placeholders (`/users/me` vs `/users/{id}`).
    let best: { handle: Handler; params: Record<string, string>; literals: number } | null = null;
    for (const e of this.entries) {
      if (e.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      const ok = e.segments.every((s, k) => {
        if (s.startsWith('{') && s.endsWith('}')) {
          params[s.slice(1, -1)] = decodeURIComponent(parts[k]!);
          return true;
        }
        literals++;
        return s === parts[k];
      });
      if (ok && (!best || literals > best.literals)) best = { handle: e.handle, params, literals };
    }
    return best && { handle: best.handle, params: best.params };
  }

  // ---------------------------------------------------------- one-line helpers

  /** Cursor + offset list (`page[size]` selects cursor mode). */
  list(path: string, key: string, source: (c: RouteCtx) => ListSource, o: Omit<ListOptions, 'key'> & { paging?: 'both' | 'cursor' | 'offset' } = {}): this {
    const paging = o.paging ?? 'both';
    return this.add(path, (c) => {
      const s = source(c);
      const opts = { ...o, key };
      if (paging === 'cursor') return cursorList(c, s, opts);
      if (paging === 'offset') return offsetList(c, s, opts);
      return cursorOrOffset(c, s, opts);
    });
  }

  /** Everything in one page (`next_page: null`). */
  unpaged(path: string, key: string, get: (c: RouteCtx) => Rec[]): this {
    return this.add(path, (c) => noPaging(key, get(c)));
  }

  /** `{ key: object }`; a missing object answers 404 RecordNotFound. */
  single(path: string, key: string, get: (c: RouteCtx) => Rec | undefined): this {
    return this.add(path, (c) => {
      const r = get(c);
      if (!r) throw new ReplyError(E.recordNotFound());
      return { [key]: r };
    });
  }

  cursorExport(path: string, spec: (c: RouteCtx) => ExportSpec): this {
    return this.add(path, (c) => cursorExport(c, c.clock, spec(c)));
  }

  timeExport(path: string, spec: (c: RouteCtx) => ExportSpec, o: TimeExportOptions = {}): this {
    return this.add(path, (c) => timeExport(c, c.clock, spec(c), o));
  }

  /** Talk calls/legs: time export without `end_of_stream`; the caught-up page repeats. */
  countExport(path: string, spec: (c: RouteCtx) => ExportSpec): this {
    return this.timeExport(path, spec, { endOfStream: false, extendSameTimestamp: false });
  }

  /** Chat incremental exports: `limit` <= 1000, start_time older than 5 minutes, `end_id`. */
  chatExport(path: string, spec: (c: RouteCtx) => ExportSpec): this {
    return this.timeExport(path, spec, { endOfStream: false, extendSameTimestamp: false, sizeParam: 'limit', minAge: 300, endId: true });
  }

  /** Chat lists: `since_id` + `limit`. */
  sinceId(path: string, key: string, get: (c: RouteCtx) => Rec[]): this {
    return this.add(path, (c) => sinceIdList(c, get(c), key));
  }
}
