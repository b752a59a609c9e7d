/**
 * Logging to stderr. Every line passes the redactor, so a secret from the
 * config can never reach a log, even inside a server's error body.
 */
import type { LogLevel } from '../core/events.js';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const secrets = new Set<string>();

/** Registers values that must never be printed (tokens, passwords, client secrets). */
export function registerSecret(value: unknown): void {
  if (typeof value === 'string' && value.length >= 4) {
    secrets.add(value);
    // Basic auth headers carry the secret base64-encoded; redact that form too.
    secrets.add(Buffer.from(value).toString('base64'));
  }
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('***');
  }
  return out.replace(/(authorization|access_token|refresh_token|client_secret|api_token|password)(["']?\s*[:=]\s*["']?)(Basic |Bearer )?[^\s"',&}]+/gi, '$1$2$3***');
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  log(level: LogLevel, message: string): void;
}

let threshold: number = LEVELS.info;
/** Optional hook: adapters may mirror logs into protocol messages (Airbyte LOG). */
let mirror: ((level: LogLevel, message: string) => void) | undefined;

export function setLogLevel(level: LogLevel): void {
  threshold = LEVELS[level];
}

export function setLogMirror(fn: ((level: LogLevel, message: string) => void) | undefined): void {
  mirror = fn;
}

function write(level: LogLevel, message: string): void {
  if (LEVELS[level] < threshold) return;
  const safe = redact(message);
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${safe}\n`);
  mirror?.(level, safe);
}

export const log: Logger = {
  debug: (m) => write('debug', m),
  info: (m) => write('info', m),
  warn: (m) => write('warn', m),
  error: (m) => write('error', m),
  log: write,
};

/** 1234567 -> "1,234,567". Not toLocaleString: loading ICU for it costs ~25 ms of every run's start. */
export function thousands(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
