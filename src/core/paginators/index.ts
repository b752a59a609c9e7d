import type { PaginatorKind } from '../../streams/descriptor.js';
import { cursorExport } from './cursor-export.js';
import { countExport, timeExport } from './time-export.js';
import { cursorList, descFeed, offsetList, single, sinceId } from './lists.js';
import { childPaginator } from './children.js';
import type { Paginator } from './types.js';
import type { StreamDescriptor } from '../../streams/descriptor.js';

export const PAGINATORS: Record<PaginatorKind, Paginator> = {
  cursor_export: cursorExport,
  time_export: timeExport,
  count_export: countExport,
  cursor_list: cursorList,
  offset_list: offsetList,
  single,
  since_id: sinceId,
  desc_feed: descFeed,
};

const children: Paginator = childPaginator((d) => paginatorFor(d), (kind) => PAGINATORS[kind as PaginatorKind]);

/** How a stream is read: its own paginator, or once per parent record. */
export function paginatorFor(d: StreamDescriptor): Paginator {
  return d.parent ? children : PAGINATORS[d.paginator];
}

export type { Page, Paginator, PaginatorContext } from './types.js';
