/**
 * Discovery, shared by both protocols: every stream with its schema, keys and
 * cursor, and whether this account can read it. Plan-gated streams are probed
 * with one small request; a 403/404 marks them unavailable instead of failing.
 */
import type { TapConfig } from '../config/types.js';
import type { ZendeskClient } from '../http/client.js';
import { ALL_STREAMS } from '../streams/registry.js';
import type { StreamDescriptor } from '../streams/descriptor.js';
import type { JsonSchema } from '../streams/schema-types.js';
import { streamSchema } from '../streams/schemas.js';
import { extendSchema, loadCustomColumns } from '../streams/custom-fields.js';
import { ConfigError, StreamUnavailableError, TransientError } from '../util/errors.js';
import { log } from '../util/log.js';

export interface DiscoveredStream {
  d: StreamDescriptor;
  schema: JsonSchema;
  /** false when a probe showed this account cannot read it. */
  available: boolean;
  unavailableReason?: string;
}

export async function discover(config: TapConfig, client: ZendeskClient | undefined): Promise<DiscoveredStream[]> {
  const out: DiscoveredStream[] = ALL_STREAMS.map((d) => ({ d, schema: streamSchema(d.name), available: true }));
  if (client && config.customFieldsAsColumns) {
    const columns = await loadCustomColumns(client);
    for (const s of out) s.schema = extendSchema(s.schema, columns.get(s.d.name));
  }
  if (!client || !config.discoverProbe) return out;
  const probed = new Map<string, string | undefined>();
  for (const s of out) {
    const root = s.d.derivedFrom?.stream ?? s.d.name;
    const rootDesc = ALL_STREAMS.find((d) => d.name === root)!;
    if (!rootDesc.requires || rootDesc.parent) continue;
    if (!probed.has(root)) {
      try {
        probed.set(root, await probe(client, rootDesc));
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        log.warn(`discover: could not probe plan-gated streams (${(err as Error).message}); listing them all as available`);
        return out;
      }
    }
    const reason = probed.get(root);
    if (reason) {
      s.available = false;
      s.unavailableReason = reason;
    }
  }
  return out;
}

async function probe(client: ZendeskClient, d: StreamDescriptor): Promise<string | undefined> {
  const params = d.paginator === 'cursor_list' ? { 'page[size]': 1 } : d.paginator.endsWith('export') ? { start_time: Math.floor(Date.now() / 1000) - 3600 } : {};
  try {
    await client.get(d.path, params, { bucket: d.bucket ?? 'account', stream: d.name, passStatuses: [400, 422], retries: 1 });
    return undefined;
  } catch (err) {
    if (err instanceof StreamUnavailableError) {
      log.warn(`discover: stream ${d.name} is not available for this account (HTTP ${err.status})${d.requires ? `; it needs ${d.requires}` : ''}`);
      return `HTTP ${err.status}${d.requires ? `: needs ${d.requires}` : ''}`;
    }
    if (err instanceof TransientError || err instanceof ConfigError) throw err;
    throw err;
  }
}
