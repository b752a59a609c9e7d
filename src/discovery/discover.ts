/**
 * Discovery, shared by both protocols: every stream with its schema, keys and
 * cursor, and whether this account can read it. Plan-gated streams are probed
 * with one small request; a 403/404 marks them unavailable instead of failing.
 */
import type { TapConfig } from '../config/types.js';
import type { ZendeskClient } from '../http/client.js';
import { ALL_STREAMS } from '../streams/registry.js';
import { bucketOf, type StreamDescriptor } from '../streams/descriptor.js';
import type { JsonSchema } from '../streams/schema-types.js';
import { streamSchema } from '../streams/schemas.js';
import { extendSchema, loadCustomColumns } from '../streams/custom-fields.js';
import { ConfigError, StreamUnavailableError } from '../util/errors.js';
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
  // One probe per distinct requirement (plan or product): a product that is off is off for all its streams.
  const groups = new Map<string, StreamDescriptor[]>();
  for (const s of out) {
    const d = s.d.derivedFrom ? ALL_STREAMS.find((x) => x.name === s.d.derivedFrom!.stream)! : s.d;
    if (!d.requires) continue;
    const key = `${d.product}|${d.requires}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const verdicts = new Map<string, string | undefined>();
  for (const [key, members] of groups) {
    // Prefer a small list endpoint: exports spend the 10-per-minute export budget.
    const candidates = members.filter((d) => !d.parent);
    const rep = candidates.find((d) => d.bucket !== 'export' && d.paginator !== 'single') ?? candidates.find((d) => d.bucket !== 'export') ?? candidates[0];
    if (!rep) continue;
    try {
      verdicts.set(key, await probe(client, rep));
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      log.warn(`discover: could not probe plan-gated streams (${(err as Error).message}); listing them all as available`);
      return out;
    }
  }
  for (const s of out) {
    const d = s.d.derivedFrom ? ALL_STREAMS.find((x) => x.name === s.d.derivedFrom!.stream)! : s.d;
    const reason = d.requires ? verdicts.get(`${d.product}|${d.requires}`) : undefined;
    if (reason) {
      s.available = false;
      s.unavailableReason = reason;
    }
  }
  return out;
}

async function probe(client: ZendeskClient, d: StreamDescriptor): Promise<string | undefined> {
  const params = d.paginator === 'cursor_list' || d.paginator === 'desc_feed'
    ? { 'page[size]': 1 }
    : d.paginator.endsWith('export')
      ? { start_time: Math.floor(Date.now() / 1000) - 3600 }
      : {};
  try {
    await client.get(d.path, params, { bucket: bucketOf(d), stream: d.name, passStatuses: [400, 422], retries: 1 });
    return undefined;
  } catch (err) {
    if (err instanceof StreamUnavailableError) {
      log.warn(`discover: ${d.requires} is not available for this account (${d.name}: HTTP ${err.status}); its streams are marked unavailable`);
      return `HTTP ${err.status}: needs ${d.requires}`;
    }
    throw err;
  }
}
