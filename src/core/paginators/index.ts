import type { PaginatorKind } from '../../streams/descriptor.js';
import { cursorExport } from './cursor-export.js';
import { countExport, timeExport } from './time-export.js';
import { cursorList, offsetList, single } from './lists.js';
import type { Paginator } from './types.js';

export const PAGINATORS: Partial<Record<PaginatorKind, Paginator>> = {
  cursor_export: cursorExport,
  time_export: timeExport,
  count_export: countExport,
  cursor_list: cursorList,
  offset_list: offsetList,
  single,
};

export type { Page, Paginator, PaginatorContext } from './types.js';
