/**
 * The connection check: one real request to a resource endpoint, as the read
 * would make it. `users/me` is no probe: it answers 200 to anonymous callers.
 * Every failure becomes a user-facing sentence; nothing here throws.
 */
import type { TapConfig } from '../../config/types.js';
import type { ZendeskClient } from '../../http/client.js';
import { ConfigError, HttpError, StreamUnavailableError, TapError } from '../../util/errors.js';
import { redact } from '../../util/log.js';

/** Lists groups: every agent and admin can, on every plan. */
export const CHECK_PATH = '/api/v2/groups';

export interface CheckResult {
  ok: boolean;
  message?: string;
}

export async function probeConnection(config: TapConfig, client: ZendeskClient): Promise<CheckResult> {
  try {
    const res = await client.get(CHECK_PATH, { 'page[size]': 1 }, { bucket: 'account', stream: 'check', retries: 1, passStatuses: [] });
    const body = res.body as { groups?: unknown } | undefined;
    if (!body || typeof body !== 'object' || !Array.isArray(body.groups)) {
      return {
        ok: false,
        message: `${config.baseUrl}${CHECK_PATH} answered without a "groups" list: is "subdomain" (or base_url) a Zendesk Support account?`,
      };
    }
    return { ok: true };
  } catch (err) {
    return { ok: false, message: describeFailure(err) };
  }
}

export function describeFailure(err: unknown): string {
  const message = redact(err instanceof Error ? err.message : String(err));
  if (err instanceof StreamUnavailableError && err.status === 404) {
    return `Zendesk answered 404 to ${CHECK_PATH}: check "subdomain" (and base_url, if set). ${message}`;
  }
  if (err instanceof StreamUnavailableError) {
    return `The credentials work, but this user cannot list groups (HTTP ${err.status}): use an agent or admin account (an admin is needed for some streams). ${message}`;
  }
  if (err instanceof ConfigError) return message;
  if (err instanceof HttpError && err.status >= 300 && err.status < 400) {
    return `Zendesk redirected ${CHECK_PATH} (HTTP ${err.status}): the account does not exist or moved; check "subdomain" (and base_url, if set).`;
  }
  if (err instanceof TapError && err.failure === 'transient') return `Could not reach Zendesk: ${message}`;
  return `The connection check failed: ${message}`;
}
