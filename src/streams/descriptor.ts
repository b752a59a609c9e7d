/**
 * A stream is data: this descriptor plus `schemas/<name>.json`. The generic
 * engine (src/core/engine.ts) runs every descriptor; only the extractors named
 * in `derivedFrom` are code of their own.
 */

export type Product = 'support' | 'talk' | 'chat' | 'help_center';

/**
 * How a stream pages. Each kind encodes one of Zendesk's paging contracts,
 * including its stop rule (see ../shared/reference/zendesk-api.md).
 */
export type PaginatorKind =
  /** `start_time` once, then `cursor`; stop on `end_of_stream` (tickets, users). */
  | 'cursor_export'
  /** `start_time` + `next_page`/`end_time`; stop on `end_of_stream`; page edges repeat. */
  | 'time_export'
  /** `start_time` + `end_time`; no end marker: stop when `count` < page size (Talk, Chat). */
  | 'count_export'
  /** `page[size]` + `links.next`; stop on `meta.has_more == false`. */
  | 'cursor_list'
  /** A list whose operation documents no paging: no page size sent, `next_page` followed as given until null; refuses to go past 10,000 records. */
  | 'offset_list'
  /** One request; the records key holds an object or an array. */
  | 'single'
  /** Chat lists: `since_id` + `limit`, stop on a short page. */
  | 'since_id'
  /** Newest-first feed (`audit_logs`, whose documented default is `sort=-created_at`): stop once records are older than the bookmark. */
  | 'desc_feed';

/** Rate-limit bucket a request draws from (each has its own budget). */
export type RateBucket = 'account' | 'export' | 'help_center' | 'chat' | 'talk';

/** How a replication-key value is written by Zendesk and kept in state. */
export type ReplicationKeyType = 'epoch' | 'epoch_us' | 'iso';

export interface StreamDescriptor {
  /** Singer stream / Airbyte stream name; also the schema file name. */
  name: string;
  product: Product;
  /** Path below the base URL, e.g. `/api/v2/groups`. `{field}` is filled from the parent record. */
  path: string;
  /**
   * Key of the records array (or object, for `single`) in the response body.
   * `''`: the body itself is the records (Chat lists answer a bare JSON array,
   * `/api/v2/chat/account` a bare object).
   */
  recordsKey: string;
  /**
   * Records need reshaping: name of a function in `reshapers`
   * (src/streams/extractors.ts) that turns the whole parsed body into the
   * records (Chat bans: two lists; routing attribute definitions: two nested
   * lists; Talk stats snapshots: one object stamped with `current_timestamp`).
   */
  reshape?: string;
  paginator: PaginatorKind;
  primaryKey: string[];
  /** Absent: full table. */
  replicationKey?: string;
  replicationKeyType?: ReplicationKeyType;
  /** `server`: the API filters by `start_time`; `client`: we filter after reading. */
  filter?: 'server' | 'client';
  /** Query parameter that takes the bookmark as epoch seconds (server-side filtering of lists). */
  startParam?: string;
  /** Fixed query parameters sent on the first request. */
  params?: Record<string, string>;
  /** `include=` side-loads requested from the API. */
  sideloads?: string[];
  /** Page size to ask for; the engine clamps to the paginator's maximum. */
  pageSize?: number;
  /** `false`: the export documents no page-size parameter, so none is sent (`pageSize` is then the server's fixed page). */
  pageSizeParam?: false;
  bucket?: RateBucket;
  /** One request series per parent record; `{name}` placeholders in `path` take `fields[name]` of the parent. */
  parent?: {
    stream: string;
    fields: Record<string, string>;
    /** List every parent each run and keep one position per parent (children change without their parent). */
    each?: boolean;
    /**
     * No source says whether a new or changed child moves its parent: children of changed parents
     * are read every run, and of every parent once `child_sweep_hours` have passed (paginators/sweep.ts).
     */
    sweep?: boolean;
    /** Parent records repeat (events of one ticket): children are listed once per parent page, at the first record naming them. */
    distinct?: boolean;
  };
  /** Records come inside another stream's pages (side-loads): no requests of their own. */
  derivedFrom?: { stream: string; extractor: string };
  /** Endpoint answering `{count: {value}}` (Zendesk's approximate counts): feeds progress estimates. */
  countPath?: string;
  selectedByDefault?: boolean;
  /** Plan or product needed, for docs and for the 403 warning. */
  requires?: string;
  /** Field that marks a soft-deleted record, for docs. */
  deletionMarker?: string;
  /** Short human description for docs and `--about`. */
  description?: string;
}

/** Where a stream's requests draw from when its descriptor names no bucket: Zendesk's default for its paging contract. */
const PAGINATOR_BUCKET: Record<PaginatorKind, RateBucket> = {
  cursor_export: 'export',
  time_export: 'export',
  count_export: 'export',
  cursor_list: 'account',
  offset_list: 'account',
  single: 'account',
  since_id: 'chat',
  desc_feed: 'account',
};

export function bucketOf(d: StreamDescriptor): RateBucket {
  return d.bucket ?? PAGINATOR_BUCKET[d.paginator];
}
