/** Singer mode: `--discover`, sync (`--catalog`/`--properties`, `--state`) and `--about`. */
import { loadConfig, readJsonFile } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import { singerTokenStore } from '../config/write-back.js';
import { DriftMonitor } from '../core/drift.js';
import { runSync } from '../core/engine.js';
import { OutputWriter } from '../core/writer.js';
import { discover } from '../discovery/discover.js';
import { mapRun } from '../maps/stream-maps.js';
import { ZendeskClient } from '../http/client.js';
import { defaultSelections, selectionsFromCatalog, singerCatalog } from '../protocols/singer/catalog.js';
import { SingerAdapter } from '../protocols/singer/adapter.js';
import { emptyState, parseSingerState } from '../state/tap-state.js';
import { ALL_STREAMS } from '../streams/registry.js';
import { log } from '../util/log.js';
import { packageVersion } from '../util/paths.js';
import { summarise } from './summary.js';
import { logStopped, stopOnSignals } from './signals.js';
import { checkFollowConfig, followSettings, runFollow } from './follow.js';

export async function singerDiscover(configPath: string): Promise<number> {
  const config = loadConfig(configPath);
  // Discovery may refresh too: without the write-back, the next sync would meet invalid_grant.
  const tokens = singerTokenStore(config);
  const client = new ZendeskClient(config, { onCredentialsRotated: tokens.onRotate, reloadCredentials: tokens.reload });
  const streams = await discover(config, client);
  const writer = new OutputWriter();
  await writer.write(`${JSON.stringify(singerCatalog(streams), null, 2)}\n`);
  await writer.flush();
  return 0;
}

export async function singerSync(args: { config: string; catalog?: string; state?: string; follow?: boolean; followInterval?: number }): Promise<number> {
  const started = Date.now();
  const config = loadConfig(args.config);
  if (args.follow) checkFollowConfig(config);
  const tokens = singerTokenStore(config);
  const state = args.state ? parseSingerState(readJsonFile(args.state, 'state'), args.state) : emptyState();
  const selections = args.catalog
    ? selectionsFromCatalog(readJsonFile(args.catalog, 'catalog'), args.catalog)
    : defaultSelections(await discover(config, undefined));
  if (args.catalog && selections.length === 0) {
    log.warn(`no stream is selected in ${args.catalog}: set "selected": true in the metadata with breadcrumb [] of the streams to sync`);
  }
  const writer = new OutputWriter();
  const adapter = new SingerAdapter(writer, state);
  // First after the engine: sees its records before any transform; Singer targets get the new column.
  const drift = new DriftMonitor(true);
  const stop = stopOnSignals();
  const client = new ZendeskClient(config, { onCredentialsRotated: tokens.onRotate, reloadCredentials: tokens.reload, stop: stop.signal });
  log.info(`sync of ${selections.length} streams from ${config.baseUrl} starting (${selections.map((s) => s.name).join(', ')})`);
  if (args.follow) {
    // One client, writer and state for the whole process: cycles share the rate budgets (src/cli/follow.ts).
    try {
      return await runFollow({ config, client, selections, state, adapter, drift, stop, settings: followSettings(config.raw, args.followInterval) });
    } finally {
      stop.dispose();
    }
  }
  let outcomes;
  try {
    // Stream maps and flattening between the drift monitor and the adapter; the engine reads source streams.
    const mapped = mapRun(config.raw, selections, state);
    outcomes = await runSync({ config, client, selections: mapped.selections, state: mapped.state, sink: drift.wrap(mapped.sink(adapter.handle)), resumeFullTables: true, stop: stop.signal });
  } catch (err) {
    stop.dispose();
    throw err;
  }
  // The handlers stay until the final STATE is out: a signal now must not cut it off.
  await adapter.finish();
  const code = summarise(outcomes, client, writer, started, drift.findings);
  stop.dispose();
  logStopped(stop, outcomes.filter((o) => o.status === 'cancelled').map((o) => o.stream));
  return stop.exitCode ?? code;
}

export function about(format: string): string {
  const info = {
    name: 'tap-zendesk',
    description: 'Zendesk Support, Talk, Chat and Help Center: a Singer tap and an Airbyte source in one binary.',
    version: packageVersion(),
    capabilities: ['catalog', 'properties', 'discover', 'state', 'about', 'stream-maps', 'schema-flattening'],
    settings: configSchema,
    streams: ALL_STREAMS.map((d) => ({
      name: d.name,
      product: d.product,
      key_properties: d.primaryKey,
      replication_method: d.replicationKey ? 'INCREMENTAL' : 'FULL_TABLE',
      ...(d.replicationKey ? { replication_key: d.replicationKey } : {}),
    })),
  };
  if (format === 'json') return `${JSON.stringify(info, null, 2)}\n`;
  const lines = [
    `# ${info.name} ${info.version}`,
    '',
    info.description,
    '',
    `Capabilities: ${info.capabilities.join(', ')}`,
    '',
    '## Settings',
    '',
    '| Setting | Type | Description |',
    '|---|---|---|',
    ...Object.entries(configSchema.properties).map(([k, v]) => {
      const p = v as { type?: string; description?: string; title?: string };
      return `| ${k} | ${p.type ?? 'object'} | ${(p.description ?? p.title ?? '').replace(/\|/g, '\\|')} |`;
    }),
    '',
    '## Streams',
    '',
    '| Stream | Product | Key | Replication |',
    '|---|---|---|---|',
    ...info.streams.map((s) => `| ${s.name} | ${s.product} | ${s.key_properties.join(', ')} | ${s.replication_method}${s.replication_key ? ` (${s.replication_key})` : ''} |`),
  ];
  return `${lines.join('\n')}\n`;
}
