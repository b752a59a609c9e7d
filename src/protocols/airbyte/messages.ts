/**
 * Airbyte message builders: one compact JSON line per AirbyteMessage
 * (airbyte_protocol.yaml, v0). Only the fields the protocol defines.
 */
import type { FailureKind, JsonObject, LogLevel } from '../../core/events.js';

export type AirbyteLogLevel = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
export type AirbyteStreamStatus = 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';
export type AirbyteFailureType = 'system_error' | 'config_error' | 'transient_error';

export const LOG_LEVELS: Record<LogLevel, AirbyteLogLevel> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };

export const FAILURE_TYPES: Record<FailureKind, AirbyteFailureType> = {
  config: 'config_error',
  transient: 'transient_error',
  system: 'system_error',
};

export function line(message: JsonObject): string {
  return `${JSON.stringify(message)}\n`;
}

export function logMessage(level: AirbyteLogLevel, message: string, stackTrace?: string): JsonObject {
  return { type: 'LOG', log: { level, message, ...(stackTrace ? { stack_trace: stackTrace } : {}) } };
}

export function streamStatus(
  stream: string,
  status: AirbyteStreamStatus,
  rateLimitedUntil?: number,
): JsonObject {
  return {
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: Date.now(),
      stream_status: {
        stream_descriptor: { name: stream },
        status,
        ...(rateLimitedUntil !== undefined
          ? { reasons: [{ type: 'RATE_LIMITED', rate_limited: { quota_reset: Math.ceil(rateLimitedUntil) } }] }
          : {}),
      },
    },
  };
}

export function errorTrace(args: {
  message: string;
  failure: FailureKind;
  stream?: string;
  internal?: string;
  stackTrace?: string;
}): JsonObject {
  return {
    type: 'TRACE',
    trace: {
      type: 'ERROR',
      emitted_at: Date.now(),
      error: {
        message: args.message,
        failure_type: FAILURE_TYPES[args.failure],
        ...(args.internal ? { internal_message: args.internal } : {}),
        ...(args.stackTrace ? { stack_trace: args.stackTrace } : {}),
        ...(args.stream ? { stream_descriptor: { name: args.stream } } : {}),
      },
    },
  };
}

export function estimateTrace(stream: string, rows: number): JsonObject {
  return {
    type: 'TRACE',
    trace: { type: 'ESTIMATE', emitted_at: Date.now(), estimate: { name: stream, type: 'STREAM', row_estimate: Math.max(0, Math.round(rows)) } },
  };
}

export function streamState(stream: string, position: JsonObject, recordCount: number): JsonObject {
  return {
    type: 'STATE',
    state: {
      type: 'STREAM',
      stream: { stream_descriptor: { name: stream }, stream_state: position },
      sourceStats: { recordCount },
    },
  };
}

export function controlConfig(config: JsonObject): JsonObject {
  return { type: 'CONTROL', control: { type: 'CONNECTOR_CONFIG', emitted_at: Date.now(), connectorConfig: { config } } };
}

export function connectionStatus(status: 'SUCCEEDED' | 'FAILED', message?: string): JsonObject {
  return { type: 'CONNECTION_STATUS', connectionStatus: { status, ...(message ? { message } : {}) } };
}
