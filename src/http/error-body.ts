import { HttpError } from '../util/errors.js';
import { redact } from '../util/log.js';

/**
 * Zendesk's error bodies are not uniform: `error` may be a string or an
 * object, `errors` an array, and the body may be plain text, HTML or empty.
 */
export function describeErrorBody(body: unknown): string {
  if (body === undefined || body === null || body === '') return '';
  if (typeof body === 'string') {
    const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
  }
  if (typeof body !== 'object') return String(body);
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof b.error === 'string') parts.push(b.error);
  else if (b.error && typeof b.error === 'object') {
    const e = b.error as Record<string, unknown>;
    parts.push([e.title, e.message].filter((x) => typeof x === 'string').join(': '));
  }
  if (typeof b.description === 'string') parts.push(b.description);
  if (typeof b.error_description === 'string') parts.push(b.error_description);
  if (Array.isArray(b.errors)) {
    for (const e of b.errors.slice(0, 2)) {
      if (e && typeof e === 'object') {
        const o = e as Record<string, unknown>;
        parts.push([o.code, o.title ?? o.detail].filter((x) => typeof x === 'string').join(': '));
      }
    }
  }
  if (typeof b.detail === 'string') parts.push(b.detail);
  return parts.filter(Boolean).join(' - ');
}

/** What the HTTP layer knows of an answer it will not accept. */
export interface ErrorAnswer {
  status: number;
  body: unknown;
  requestId: string | undefined;
}

/**
 * "GET /api/v2/x: HTTP 400 (InvalidValue - cursor is invalid), x-request-id
 * 8f0c...": the status, Zendesk's own words and the id its support asks for.
 * No stream name: whoever reports the error names the stream, once.
 */
export function describeHttpError(path: string, a: ErrorAnswer, what = `HTTP ${a.status}`): string {
  const detail = describeErrorBody(a.body);
  return `GET ${path}: ${what}${detail ? ` (${detail})` : ''}${requestIdText(a.requestId)}`;
}

export function requestIdText(requestId: string | undefined): string {
  return requestId ? `, x-request-id ${requestId}` : '';
}

/** An answer the caller cannot use (a paginator's unexpected 400, ...), as the error it reports. */
export function unexpectedAnswer(path: string, a: ErrorAnswer): HttpError {
  const raw = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? '');
  return new HttpError(redact(describeHttpError(path, a)), a.status, raw, a.requestId);
}
