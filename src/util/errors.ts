/**
 * Errors that reach the user. Each carries a one-line message that says what is
 * wrong and how to fix it; adapters print it without a stack trace.
 */
import type { FailureKind } from '../core/events.js';

export class TapError extends Error {
  readonly failure: FailureKind;
  constructor(message: string, failure: FailureKind, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.failure = failure;
  }
}

/** Bad config, catalog or state, wrong credentials, missing permission: the user must act. */
export class ConfigError extends TapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'config', options);
  }
}

/** The API kept failing after every retry: running again later may succeed. */
export class TransientError extends TapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'transient', options);
  }
}

/** The run was asked to stop (SIGTERM/SIGINT): not a failure of the stream, and the next run resumes. */
export class CancelledError extends TapError {
  constructor(message = 'stopped by a signal') {
    super(message, 'transient');
  }
}

/** A stream this account cannot read (plan, product or role): skipped, never fatal. */
export class StreamUnavailableError extends TapError {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message, 'config');
    this.status = status;
  }
}

/** An HTTP answer the tap did not expect; carries the status for callers that decide on it. */
export class HttpError extends TapError {
  readonly status: number;
  readonly body: string;
  readonly requestId: string | undefined;
  constructor(message: string, status: number, body: string, requestId: string | undefined) {
    super(message, status >= 500 || status === 429 ? 'transient' : 'system');
    this.status = status;
    this.body = body;
    this.requestId = requestId;
  }
}

export function failureOf(error: unknown): FailureKind {
  return error instanceof TapError ? error.failure : 'system';
}
