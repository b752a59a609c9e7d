/** Every stream the tap knows, in sync order (parents before the streams derived from them). */
import type { StreamDescriptor } from './descriptor.js';
import { supportCore } from './catalog/support-core.js';

export const ALL_STREAMS: StreamDescriptor[] = [...supportCore];

const byName = new Map(ALL_STREAMS.map((d) => [d.name, d]));

export function getStream(name: string): StreamDescriptor | undefined {
  return byName.get(name);
}

export function streamNames(): string[] {
  return ALL_STREAMS.map((d) => d.name);
}
