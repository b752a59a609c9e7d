/**
 * What the engine yields. Protocol adapters (src/protocols/singer, airbyte)
 * turn these into messages; nothing in here knows either protocol.
 */
import type { JsonSchema } from '../streams/schema-types.js';

export type JsonObject = Record<string, unknown>;

/** Resumable position of one stream. Opaque to adapters; see src/state/stream-state.ts. */
export type StreamPosition = JsonObject;

export type StreamStatus = 'started' | 'running' | 'complete' | 'incomplete';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type FailureKind = 'config' | 'transient' | 'system';

export type EngineEvent =
  | {
      kind: 'schema';
      stream: string;
      schema: JsonSchema;
      keyProperties: string[];
      bookmarkProperties: string[];
    }
  /** A page of records, already projected to the selected fields. */
  | { kind: 'records'; stream: string; records: JsonObject[]; extractedAt: number }
  /**
   * Every record of `stream` yielded before this event is covered by `position`.
   * `recordCount` counts the records since this stream's previous checkpoint.
   */
  | { kind: 'checkpoint'; stream: string; position: StreamPosition; recordCount: number }
  | { kind: 'status'; stream: string; status: StreamStatus; message?: string }
  /** A request is waiting on a rate limit until `resetAt` (epoch ms). */
  | { kind: 'rate_limited'; stream?: string; resetAt: number }
  | { kind: 'estimate'; stream: string; rows: number }
  | { kind: 'log'; level: LogLevel; message: string }
  /** Credentials changed (rotated OAuth refresh token): the whole new config. */
  | { kind: 'config_update'; config: JsonObject }
  | { kind: 'error'; stream?: string; failure: FailureKind; message: string; internal?: string };

export type EventSink = (event: EngineEvent) => void | Promise<void>;
