/** Field selection: key and replication fields are always emitted (Singer `automatic`). */
import type { StreamDescriptor } from '../streams/descriptor.js';
import type { JsonSchema } from '../streams/schema-types.js';
import type { JsonObject } from './events.js';

/**
 * @param schema the stream's schema as sent: a field it does not declare was
 *   never offered for selection, so it is kept (and reported as drift, see
 *   src/core/drift.ts) rather than dropped unseen.
 */
export function projector(d: StreamDescriptor, fields: Set<string> | undefined, schema?: JsonSchema): (r: JsonObject) => JsonObject {
  if (!fields) return (r) => r;
  const keep = new Set([...fields, ...d.primaryKey, ...(d.replicationKey ? [d.replicationKey] : [])]);
  const declared = new Set(Object.keys(schema?.properties ?? {}));
  const offered = schema !== undefined;
  return (r) => {
    const out: JsonObject = {};
    for (const k in r) if (keep.has(k) || (offered && !declared.has(k))) out[k] = r[k];
    return out;
  };
}
