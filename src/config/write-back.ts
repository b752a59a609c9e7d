/**
 * Zendesk deletes the old OAuth pair on refresh, so the new one must reach
 * the config file before it is used: written to a temp file and renamed, so a
 * crash never leaves a half-written config. The user's own layout is kept.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Credentials } from './types.js';
import { log } from '../util/log.js';

export function writeBackCredentials(path: string, credentials: Credentials): void {
  if (credentials.type !== 'oauth2_refresh') return;
  let original: Record<string, unknown>;
  try {
    original = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    original = {};
  }
  const fresh = {
    access_token: credentials.access_token,
    refresh_token: credentials.refresh_token,
    ...(credentials.token_expiry_date ? { token_expiry_date: credentials.token_expiry_date } : {}),
  };
  const updated = original.credentials && typeof original.credentials === 'object'
    ? { ...original, credentials: { ...(original.credentials as object), ...fresh } }
    : { ...original, ...fresh };
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(updated, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  log.info(`OAuth: saved the rotated refresh token to ${path}`);
}
