import type { TapConfig } from '../../config/types.js';
import type { ZendeskClient } from '../../http/client.js';
import type { StreamDescriptor } from '../../streams/descriptor.js';
import type { Position } from '../../state/position.js';
import type { JsonObject } from '../events.js';

export interface Page {
  /** Records not emitted before (page-edge repeats already dropped), in API order. */
  records: JsonObject[];
  body: JsonObject;
  /** Resuming from here loses nothing and repeats nothing yielded so far. */
  position: Position;
  /** Epoch ms when the page arrived. */
  extractedAt: number;
  /**
   * No page follows: the pass ends here. Lets a full-table read mark its pass
   * done in the same checkpoint as its last records, leaving no moment where a
   * crash would make the next run read the whole table again.
   */
  last?: boolean;
}

export interface PaginatorContext {
  client: ZendeskClient;
  config: TapConfig;
  stream: StreamDescriptor;
  start: Position;
  /** Filled path (parent placeholders resolved). */
  path: string;
  /** The stream name requests are accounted to (logs, rate-limit traces). */
  label: string;
}

export type Paginator = (ctx: PaginatorContext) => AsyncGenerator<Page, void, undefined>;
