import { E, ReplyError, type Reply } from './errors.js';
import type { Dataset } from './data/dataset.js';
import type { Assumptions } from './options.js';
import type { Rec } from './data/collection.js';
import {
  type ClockCtx,
  type ExportSpec,
  type ListOptions,
  type ListSource,
  type PageReq,
  type TimeExportOptions,
  arraySource,
  cursorExport,
  cursorList,
  cursorOrOffset,
  noPaging,
  offsetList,
  sinceIdPage,
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
  /** Undocumented behaviours as currently switched (options.ts `Assumptions`). */
  assume: Assumptions;
}

/** A plain object (or a bare array, as Chat lists answer) is sent as 200 JSON. */
export type Handler = (c: RouteCtx) => Reply | Rec | Rec[];

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

  /**
   * Replaces the handler registered for `path` (exactly as it was added) with
   * one built around it: how a test makes one endpoint misbehave.
   */
  wrap(path: string, around: (original: Handler) => Handler): this {
    const segments = path.split('/').filter(Boolean).join('/');
    const e = this.entries.find((x) => x.segments.join('/') === segments);
    if (!e) throw new Error(`emulator: no route ${path} to wrap`);
    e.handle = around(e.handle);
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

  /**
   * An operation that declares no pagination: everything in one page (`next_page: null`,
   * paging parameters ignored), or offset pages with assumption `unpagedAllAtOnce: false`.
   */
  unpaged(path: string, key: string, get: (c: RouteCtx) => Rec[]): this {
    return this.add(path, (c) => (c.assume.unpagedAllAtOnce ? noPaging(key, get(c)) : offsetList(c, arraySource(() => get(c)), { key })));
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

  /**
   * Talk calls/legs: time export without `end_of_stream`, a server-fixed page
   * of 1000 (`per_page` is ignored); once caught up the last page comes back
   * again (its boundary records, with its own URL as next_page).
   * docs /api-reference/voice/talk-api/incremental_exports/: start_time only; next_page never null,
   * "use the count property". Page of 1000: [3p] Airbyte; boundary repeat: [3p] zenpy#489 (zendesk-api.md §3.5).
   */
  countExport(path: string, spec: (c: RouteCtx) => ExportSpec): this {
    return this.timeExport(path, spec, { endOfStream: false, extendSameTimestamp: false, fixedSize: TALK_EXPORT_PAGE });
  }

  /**
   * Chat incremental exports: `limit` <= 1000, start_time older than 5 minutes,
   * `end_id`, no end marker. Records are ids only unless `fields=<key>(*)` (or
   * `<key>(a,b)`) asks for more. `micro`: agent_timeline (start_time, end_time
   * and tsOf in microseconds).
   */
  chatExport(path: string, spec: (c: RouteCtx) => ExportSpec, o: { micro?: boolean } = {}): this {
    return this.add(path, (c0) => {
      // docs /api-reference/live-chat/chat-api/incremental_export/: start_time "Defaults to 0" (not mandatory),
      // start_id (not emulated: pages resume by time alone), limit (default and max 1000), fields.
      const c = c0.q.get('start_time') ? c0 : { ...c0, q: withParam(c0.q, 'start_time', '0') };
      const s = spec(c);
      const wanted = chatFields(c.q.get('fields'), s.key);
      const shaped: ExportSpec = wanted === '*' ? s : { ...s, decorate: (items) => ({ items: items.map((r) => pickFields(r, wanted)) }) };
      return timeExport(c, c.clock, shaped, { endOfStream: false, extendSameTimestamp: false, sizeParam: 'limit', minAge: 300, endId: true, micro: o.micro ?? false });
    });
  }

  /** Chat lists: `since_id` + `limit` (default 10), a bare JSON array (zendesk-api.md §3.6; default 10 is an assumption). */
  sinceId(path: string, get: (c: RouteCtx) => Rec[]): this {
    return this.add(path, (c) => sinceIdPage(c, get(c)));
  }

  /** Chat lists without paging: a bare JSON array. */
  bare(path: string, get: (c: RouteCtx) => Rec[]): this {
    return this.add(path, (c) => get(c));
  }
}

export const TALK_EXPORT_PAGE = 1000;

function withParam(q: URLSearchParams, name: string, value: string): URLSearchParams {
  const out = new URLSearchParams(q);
  out.set(name, value);
  return out;
}

/** `fields=chats(*)` -> '*'; `fields=chats(id,timestamp)` -> those names; absent -> ids only. */
function chatFields(param: string | null, key: string): '*' | string[] {
  for (const part of (param ?? '').split(/,(?![^(]*\))/)) {
    const m = /^([a-z_]+)\(([^)]*)\)$/.exec(part.trim());
    if (m && m[1] === key) return m[2] === '*' ? '*' : m[2]!.split(',').map((f) => f.trim());
  }
  return ['id'];
}

function pickFields(r: Rec, fields: string[]): Rec {
  const out: Rec = {};
  for (const f of new Set(['id', ...fields])) if (f in r) out[f] = r[f];
  return out;
}
