/** Every stream the tap knows, in sync order (parents before the streams derived from them). */
import type { StreamDescriptor } from './descriptor.js';
import { supportCore } from './catalog/support-core.js';
import { supportMore } from './catalog/support-more.js';
import { talk } from './catalog/talk.js';
import { chat } from './catalog/chat.js';
import { helpCenter } from './catalog/help-center.js';

export const ALL_STREAMS: StreamDescriptor[] = [...supportCore, ...supportMore, ...talk, ...chat, ...helpCenter];

const byName = new Map(ALL_STREAMS.map((d) => [d.name, d]));

export function getStream(name: string): StreamDescriptor | undefined {
  return byName.get(name);
}

export function streamNames(): string[] {
  return ALL_STREAMS.map((d) => d.name);
}
