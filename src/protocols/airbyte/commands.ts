/**
 * The four Airbyte commands. Each prints only AirbyteMessages on stdout
 * (logs are mirrored as LOG messages) and never lets an error escape: a fatal
 * error is one ERROR trace and a non-zero exit; a failed check is a FAILED
 * CONNECTION_STATUS and exit 0, as the platform expects.
 */
import { readFileSync } from 'node:fs';
import { loadConfig, readJsonFile } from '../../config/load.js';
import type { TapConfig } from '../../config/types.js';
import { runSync } from '../../core/engine.js';
import { OutputWriter } from '../../core/writer.js';
import { discover } from '../../discovery/discover.js';
import { ZendeskClient } from '../../http/client.js';
import { emptyState, type TapState } from '../../state/tap-state.js';
import { ConfigError, failureOf } from '../../util/errors.js';
import { log, redact } from '../../util/log.js';
import { summarise } from '../../cli/summary.js';
import { logStopped, stopOnSignals } from '../../cli/signals.js';
import { DriftMonitor } from '../../core/drift.js';
import { AirbyteAdapter, ConfigPersister, mirrorLogs } from './adapter.js';
import { airbyteCatalog } from './catalog.js';
import { mapAirbyteCatalog, mapAirbyteRead } from '../../maps/airbyte.js';
import { streamMapsOf } from '../../maps/stream-maps.js';
import { describeFailure, probeConnection } from './check.js';
import { connectionStatus, errorTrace, line } from './messages.js';
import { airbyteSpec } from './spec.js';
import { parseAirbyteState } from './state.js';

export interface AirbyteArgs {
  config?: string;
  catalog?: string;
  state?: string;
  debug?: boolean;
}

/** The fatal error on stderr too, for people running the image by hand (not mirrored: the trace says it). */
function stderrFatal(err: unknown): void {
  const kind = failureOf(err) === 'config' ? 'error' : 'failed';
  // A config with several problems has one per line: each gets the prefix.
  for (const l of redact(err instanceof Error ? err.message : String(err)).split('\n')) process.stderr.write(`tap-zendesk: ${kind}: ${l}\n`);
}

/** The one ERROR trace of a fatal error (no secrets; the stack only for bugs or --debug). */
async function writeFatal(writer: OutputWriter, err: unknown, debug: boolean): Promise<void> {
  const failure = failureOf(err);
  const stack = err instanceof Error && err.stack ? redact(err.stack) : undefined;
  const message = redact(err instanceof Error ? err.message : String(err));
  stderrFatal(err);
  try {
    await writer.write(
      line(
        errorTrace({
          message,
          failure,
          ...(stack ? { internal: stack.split('\n')[0]! } : {}),
          ...(stack && (failure === 'system' || debug) ? { stackTrace: stack } : {}),
        }),
      ),
    );
    await writer.flush();
  } catch {
    // stdout is gone: the line on stderr is all that is left.
  }
}

/** Runs one command with the log mirror on; any escaping error becomes the fatal ERROR trace. */
async function guarded(debug: boolean, body: (writer: OutputWriter) => Promise<number>): Promise<number> {
  const writer = new OutputWriter();
  const unmirror = mirrorLogs(writer);
  try {
    return await body(writer);
  } catch (err) {
    await writeFatal(writer, err, debug);
    return err instanceof ConfigError ? 2 : 1;
  } finally {
    unmirror();
  }
}

const USAGE: Record<string, string> = {
  check: 'tap-zendesk check --config CONFIG',
  discover: 'tap-zendesk discover --config CONFIG',
  read: 'tap-zendesk read --config CONFIG --catalog CONFIGURED_CATALOG [--state STATE]',
};

function requireArg(value: string | undefined, flag: string, command: string): string {
  if (!value) throw new ConfigError(`tap-zendesk ${command} needs ${flag} (usage: ${USAGE[command] ?? command}).`);
  return value;
}

export function runSpec(): Promise<number> {
  return guarded(false, async (writer) => {
    await writer.write(line({ type: 'SPEC', spec: airbyteSpec() }));
    await writer.flush();
    return 0;
  });
}

export function runCheck(args: AirbyteArgs): Promise<number> {
  return guarded(Boolean(args.debug), async (writer) => {
    let result: { ok: boolean; message?: string };
    try {
      const config = loadConfig(requireArg(args.config, '--config', 'check'));
      streamMapsOf(config.raw); // a bad stream map fails the check, not the first sync
      // A check must answer within the platform's timeout (CAT: 30-60 s): two tries of at most 20 s.
      const quick: TapConfig = { ...config, requestTimeoutMs: Math.min(config.requestTimeoutMs, 20_000) };
      const persister = new ConfigPersister(writer, config.raw);
      const client = new ZendeskClient(quick, { onCredentialsRotated: persister.rotated });
      result = await probeConnection(quick, client);
    } catch (err) {
      result = { ok: false, message: describeFailure(err) };
    }
    if (!result.ok) log.warn(`check failed: ${result.message ?? ''}`);
    await writer.write(line(connectionStatus(result.ok ? 'SUCCEEDED' : 'FAILED', result.ok ? undefined : result.message)));
    await writer.flush();
    return 0;
  });
}

export function runDiscover(args: AirbyteArgs): Promise<number> {
  return guarded(Boolean(args.debug), async (writer) => {
    const config = loadConfig(requireArg(args.config, '--config', 'discover'));
    const persister = new ConfigPersister(writer, config.raw);
    const client = new ZendeskClient(config, { onCredentialsRotated: persister.rotated });
    const streams = await discover(config, client);
    await writer.write(line({ type: 'CATALOG', catalog: mapAirbyteCatalog(config.raw, airbyteCatalog(streams)) }));
    await writer.flush();
    return 0;
  });
}

/** An empty or whitespace-only state file means "no state" (some schedulers create one). */
function readState(path: string): TapState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return parseAirbyteState(readJsonFile(path, 'state'), path);
  }
  if (text.trim() === '') return emptyState();
  return parseAirbyteState(readJsonFile(path, 'state'), path);
}

export function runRead(args: AirbyteArgs): Promise<number> {
  const debug = Boolean(args.debug);
  return guarded(debug, async (writer) => {
    const started = Date.now();
    const config = loadConfig(requireArg(args.config, '--config', 'read'));
    const catalogPath = requireArg(args.catalog, '--catalog', 'read');
    const state = args.state ? readState(args.state) : emptyState();
    // Stream maps: `selections` are the configured (mapped) streams; `mapped` what the engine reads and the transform.
    const { selections, run: mapped } = mapAirbyteRead(config.raw, readJsonFile(catalogPath, 'configured catalog'), catalogPath, state);
    const persister = new ConfigPersister(writer, config.raw);
    const adapter = new AirbyteAdapter({ writer, streams: selections, state, persister, debug });
    const stop = stopOnSignals();
    const client = new ZendeskClient(config, { onRateLimited: adapter.onRateLimited, onCredentialsRotated: persister.rotated, stop: stop.signal });
    if (selections.length === 0) log.warn('the configured catalog has no streams: nothing to read');
    log.info(`read of ${selections.length} streams from ${config.baseUrl} starting (${selections.map((s) => `${s.name} ${s.incremental ? 'incremental' : 'full_refresh'}`).join(', ')})`);
    // Airbyte keeps its catalog: a new field is only reported (a LOG line and the summary).
    const drift = new DriftMonitor(false);
    let outcomes;
    try {
      outcomes = await runSync({ config, client, selections: mapped.selections, state: mapped.state, sink: drift.wrap(mapped.sink(adapter.handle)), stop: stop.signal });
    } catch (err) {
      stop.dispose();
      stderrFatal(err);
      try {
        await adapter.fail(err);
        await adapter.finish();
      } catch {
        // stdout is gone: the line on stderr is all that is left.
      }
      return err instanceof ConfigError ? 2 : 1;
    }
    if (stop.received) await adapter.stopped(stop.received);
    await adapter.finish();
    const code = summarise(outcomes, client, writer, started, drift.findings);
    stop.dispose();
    logStopped(stop, outcomes.filter((o) => o.status === 'cancelled').map((o) => o.stream));
    return stop.exitCode ?? code;
  });
}
