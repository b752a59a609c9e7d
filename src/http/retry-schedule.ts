/**
 * When to retry a failed request, and how long to wait first. Waits the
 * server announces (Retry-After) are not here: they go through the governor.
 */
import type { AxiosError } from 'axios';

/** Retries of one request before its error reaches the stream. */
export const MAX_RETRIES = 10;

/** A name that does not resolve is a wrong subdomain/base_url far more often than a DNS hiccup: a few tries only. */
export const DNS_RETRIES = 3;

export const RETRY_STATUSES: ReadonlySet<number> = new Set([409, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524]);

/**
 * Exponential backoff with jitter (each wait between half and all of
 * 0.5 s x 2^(n-1), capped at 30 s): the first retries are quick, and the ten
 * together span 76-152 s, so a server that restarts or a network that drops
 * for a minute is ridden out instead of failing the sync.
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** (Math.max(1, retry) - 1));
  return timeScale() * (base / 2 + random() * (base / 2));
}

/** The whole schedule, for callers that report how long they kept trying. */
export function backoffSchedule(retries = MAX_RETRIES, random: () => number = Math.random): number[] {
  return Array.from({ length: retries }, (_, i) => backoffMs(i + 1, random));
}

/**
 * TAP_ZENDESK_BACKOFF_SCALE shrinks every backoff (0.01 turns a minute into
 * 0.6 s). Only tests set it: they prove the schedule without waiting it out.
 */
function timeScale(): number {
  const s = Number(process.env.TAP_ZENDESK_BACKOFF_SCALE);
  return Number.isFinite(s) && s > 0 && s <= 1 ? s : 1;
}

export function isDnsFailure(code: string | undefined): boolean {
  return code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

/** `retryCount`: retries already made for this request. */
export function shouldRetry(error: AxiosError, retryCount: number): boolean {
  if (error.code === 'ERR_CANCELED') return false;
  if (isDnsFailure(error.code)) return retryCount < DNS_RETRIES;
  if (!error.response) return true;
  const status = error.response.status;
  // A 2xx that still failed broke in transfer (truncated or aborted body).
  if (status >= 200 && status < 300) return true;
  return RETRY_STATUSES.has(status);
}
