/**
 * Engine events -> Airbyte messages. Per-stream STATE with sourceStats,
 * STREAM_STATUS traces in the order the platform (and CAT) expects, ERROR
 * traces with a failure_type, RATE_LIMITED heartbeats while the HTTP layer
 * waits, and CONTROL messages for rotated OAuth credentials.
 */
import type { Credentials } from '../../config/types.js';
import type { EngineEvent, JsonObject, StreamStatus } from '../../core/events.js';
import type { OutputWriter } from '../../core/writer.js';
import { parsePosition, serialisePosition } from '../../state/position.js';
import type { TapState } from '../../state/tap-state.js';
import { getStream } from '../../streams/registry.js';
import { failureOf } from '../../util/errors.js';
import { log, redact, setLogMirror } from '../../util/log.js';
import {
  LOG_LEVELS,
  controlConfig,
  errorTrace,
  estimateTrace,
  line,
  logMessage,
  streamState,
  streamStatus,
} from './messages.js';

/** Writes a line without awaiting (from synchronous hooks); order is kept because OutputWriter writes synchronously. */
function fireAndForget(writer: OutputWriter, text: string): void {
  writer.write(text).catch(() => {
    // The writer remembers a broken pipe and reports it on the next awaited write.
  });
}

/** Mirrors every stderr log line into an Airbyte LOG message (already redacted by the logger). */
export function mirrorLogs(writer: OutputWriter): () => void {
  setLogMirror((level, message) => fireAndForget(writer, line(logMessage(LOG_LEVELS[level], message))));
  return () => setLogMirror(undefined);
}

/**
 * Sends the whole config with rotated credentials as a CONTROL message and
 * waits until it is handed to the OS: Zendesk has already invalidated the
 * old refresh token, so the platform must have the new one before we go on.
 */
export class ConfigPersister {
  private config: JsonObject;

  constructor(private readonly writer: OutputWriter, raw: JsonObject) {
    this.config = raw;
  }

  rotated = async (credentials: Credentials): Promise<void> => {
    const previous = (this.config.credentials && typeof this.config.credentials === 'object' ? this.config.credentials : {}) as JsonObject;
    this.config = { ...this.config, credentials: { ...previous, ...credentials } };
    await this.emit(this.config);
    log.info('OAuth: sent the rotated refresh token to the platform (CONTROL CONNECTOR_CONFIG)');
  };

  async emit(config: JsonObject): Promise<void> {
    this.config = config;
    await this.writer.write(line(controlConfig(config)));
    await this.writer.flush();
  }
}

export interface AirbyteAdapterOptions {
  writer: OutputWriter;
  /** Configured streams: the only ones that get statuses and states. */
  streams: Array<{ name: string; incremental: boolean }>;
  /** The input state, for streams that end without a checkpoint of their own (skipped ones). */
  state: TapState;
  persister: ConfigPersister;
  debug?: boolean;
}

export class AirbyteAdapter {
  private readonly writer: OutputWriter;
  private readonly configured: Map<string, { incremental: boolean }>;
  private readonly status = new Map<string, StreamStatus>();
  /** JSON of the last STATE emitted per stream. */
  private readonly lastState = new Map<string, string>();
  /** Records emitted per stream since its last STATE. */
  private readonly sinceState = new Map<string, number>();

  constructor(private readonly opts: AirbyteAdapterOptions) {
    this.writer = opts.writer;
    this.configured = new Map(opts.streams.map((s) => [s.name, { incremental: s.incremental }]));
  }

  handle = async (e: EngineEvent): Promise<void> => {
    switch (e.kind) {
      case 'schema':
        return;
      case 'records': {
        if (e.records.length === 0) return;
        const head = `{"type":"RECORD","record":{"stream":${JSON.stringify(e.stream)},"data":`;
        const tail = `,"emitted_at":${Math.floor(e.extractedAt)}}}\n`;
        let chunk = '';
        for (const r of e.records) chunk += head + JSON.stringify(r) + tail;
        this.sinceState.set(e.stream, (this.sinceState.get(e.stream) ?? 0) + e.records.length);
        await this.writer.write(chunk);
        return;
      }
      case 'checkpoint':
        await this.writeState(e.stream, e.position);
        return;
      case 'status':
        await this.onStatus(e.stream, e.status);
        return;
      case 'rate_limited':
        this.onRateLimited({ stream: e.stream, resetAt: e.resetAt });
        return;
      case 'estimate':
        if (this.configured.has(e.stream)) await this.writer.write(line(estimateTrace(e.stream, e.rows)));
        return;
      case 'log':
        // Through the logger: stderr, and the mirror turns it into a LOG message.
        log.log(e.level, e.message);
        return;
      case 'config_update':
        await this.opts.persister.emit(e.config);
        return;
      case 'error':
        await this.writer.write(
          line(
            errorTrace({
              message: redact(e.message),
              failure: e.failure,
              ...(e.stream ? { stream: e.stream } : {}),
              ...this.internals(e.failure, e.internal),
            }),
          ),
        );
        return;
    }
  };

  /**
   * ZendeskClient's onRateLimited hook: called when a request starts waiting
   * and every 20 s while it waits, so it doubles as the heartbeat.
   */
  onRateLimited = (info: { stream: string | undefined; resetAt: number }): void => {
    const open = this.openStreamsFor(info.stream);
    if (open.length === 0) {
      fireAndForget(this.writer, line(logMessage('INFO', `waiting on the Zendesk rate limit until ${new Date(info.resetAt).toISOString()}`)));
      return;
    }
    for (const name of open) fireAndForget(this.writer, line(streamStatus(name, 'RUNNING', info.resetAt)));
  };

  /** A fatal error ends the run: one ERROR trace, and INCOMPLETE for every stream still open. */
  async fail(err: unknown): Promise<void> {
    const message = redact(err instanceof Error ? err.message : String(err));
    const failure = failureOf(err);
    await this.writer.write(line(errorTrace({ message, failure, ...this.internals(failure, err instanceof Error ? err.stack : undefined) })));
    for (const [name, status] of this.status) {
      if (status === 'started' || status === 'running') {
        this.status.set(name, 'incomplete');
        await this.writer.write(line(streamStatus(name, 'INCOMPLETE')));
      }
    }
  }

  /**
   * The read was stopped (SIGTERM/SIGINT, the platform's cancel): one
   * transient ERROR trace saying so, INCOMPLETE for every stream still open,
   * and last the final STATE of every stream that has one (each already
   * covers all of its records written), so the next attempt resumes there.
   */
  async stopped(signal: string): Promise<void> {
    const message = `read stopped by ${signal}: the last STATE of each stream covers every record written; the next attempt resumes from it`;
    await this.writer.write(line(errorTrace({ message, failure: 'transient' })));
    for (const [name, status] of this.status) {
      if (status === 'started' || status === 'running') await this.onStatus(name, 'incomplete');
    }
    for (const [name, json] of this.lastState) {
      this.sinceState.set(name, 0);
      await this.writer.write(line(streamState(name, JSON.parse(json) as JsonObject, 0)));
    }
  }

  async finish(): Promise<void> {
    await this.writer.flush();
  }

  private internals(failure: string, stack: string | undefined): { internal?: string; stackTrace?: string } {
    if (!stack) return {};
    const safe = redact(stack);
    const internal = safe.split('\n')[0]!;
    return failure === 'system' || this.opts.debug ? { internal, stackTrace: safe } : { internal };
  }

  private async onStatus(stream: string, status: StreamStatus): Promise<void> {
    if (!this.configured.has(stream)) return;
    const current = this.status.get(stream);
    switch (status) {
      case 'started':
        if (current !== undefined) return;
        this.status.set(stream, 'started');
        await this.writer.write(line(streamStatus(stream, 'STARTED')));
        return;
      case 'running':
        if (current !== 'started') return;
        this.status.set(stream, 'running');
        await this.writer.write(line(streamStatus(stream, 'RUNNING')));
        return;
      case 'complete':
        if (current === 'complete' || current === 'incomplete') return;
        if (current === undefined) await this.onStatus(stream, 'started');
        // The platform expects STARTED, RUNNING..., COMPLETE even for a stream with nothing to read.
        if (this.status.get(stream) === 'started') await this.onStatus(stream, 'running');
        // ...and at least one STATE per stream, even when it was skipped.
        if (!this.lastState.has(stream)) await this.writeState(stream, this.initialPosition(stream));
        this.status.set(stream, 'complete');
        await this.writer.write(line(streamStatus(stream, 'COMPLETE')));
        return;
      case 'incomplete':
        if (current === 'complete' || current === 'incomplete') return;
        this.status.set(stream, 'incomplete');
        await this.writer.write(line(streamStatus(stream, 'INCOMPLETE')));
        return;
    }
  }

  /** Never two identical STATEs in a row for a stream when no record came in between. */
  private async writeState(stream: string, position: JsonObject): Promise<void> {
    const json = JSON.stringify(position);
    const count = this.sinceState.get(stream) ?? 0;
    if (this.lastState.get(stream) === json && count === 0) return;
    this.lastState.set(stream, json);
    this.sinceState.set(stream, 0);
    await this.writer.write(line(streamState(stream, position, count)));
  }

  private initialPosition(stream: string): JsonObject {
    const blob = this.opts.state.bookmarks[stream];
    const d = getStream(stream);
    if (!blob || !d || !this.configured.get(stream)?.incremental) return {};
    try {
      return serialisePosition(parsePosition(blob, d), d);
    } catch {
      return blob;
    }
  }

  /** Configured streams still open that read through the requests of `label` (a root stream's name). */
  private openStreamsFor(label: string | undefined): string[] {
    const out: string[] = [];
    for (const [name, status] of this.status) {
      if (status !== 'started' && status !== 'running') continue;
      if (label === undefined) continue;
      const d = getStream(name);
      const root = d?.derivedFrom?.stream ?? d?.parent?.stream ?? name;
      if (name === label || root === label) out.push(name);
    }
    return out;
  }
}
