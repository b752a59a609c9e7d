/** Field selection: key and replication fields are always emitted (Singer `automatic`). */
import type { StreamDescriptor } from '../streams/descriptor.js';
import type { JsonObject } from './events.js';

export function projector(d: StreamDescriptor, fields: Set<string> | undefined): (r: JsonObject) => JsonObject {
  if (!fields) return (r) => r;
  const keep = new Set([...fields, ...d.primaryKey, ...(d.replicationKey ? [d.replicationKey] : [])]);
  const list = [...keep];
  return (r) => {
    const out: JsonObject = {};
    for (const k of list) if (k in r) out[k] = r[k];
    return out;
  };
}
