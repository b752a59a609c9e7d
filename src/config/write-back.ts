/**
 * Singer persistence of OAuth tokens: Zendesk deletes the old pair on
 * refresh, so the new one must reach the config file before it is used.
 * Written to a temp file, fsynced, renamed over the config and the directory
 * fsynced: a crash leaves either the old file or the new one, never half of
 * one, and a power cut cannot undo a rename we already acted on. The user's
 * own layout (credentials object or singer-io's flat keys) is kept.
 */
import { accessSync, closeSync, constants, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Credentials, GrantCredentials, TapConfig } from './types.js';
import { ConfigError } from '../util/errors.js';
import { log, registerSecret } from '../util/log.js';

type Fresh = { access_token?: string; refresh_token?: string; token_expiry_date?: string };

function freshFields(c: Credentials): Fresh | undefined {
  if (c.type === 'oauth2_refresh') return { access_token: c.access_token, refresh_token: c.refresh_token, token_expiry_date: c.token_expiry_date };
  if (c.type === 'oauth2_client_credentials') return { access_token: c.access_token, token_expiry_date: c.token_expiry_date };
  return undefined;
}

export function writeBackCredentials(path: string, credentials: Credentials): void {
  const fresh = freshFields(credentials);
  if (!fresh) return;
  let original: Record<string, unknown>;
  try {
    original = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    original = {};
  }
  // Undefined values (an expiry Zendesk no longer states) disappear in JSON.stringify.
  const updated = original.credentials && typeof original.credentials === 'object'
    ? { ...original, credentials: { ...(original.credentials as object), ...fresh } }
    : { ...original, ...fresh };
  writeAtomically(path, `${JSON.stringify(updated, null, 2)}\n`);
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing more to clean.
    }
    throw err;
  }
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
  }
}

/** Whether the config file can be replaced (the file and its directory writable: temp file + rename). */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The credentials in the file now, normalised enough to compare refresh tokens. */
function storedCredentials(path: string): Credentials | undefined {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const c = (raw.credentials && typeof raw.credentials === 'object' ? raw.credentials : raw) as Record<string, unknown>;
    if (typeof c.refresh_token !== 'string') return undefined;
    return {
      type: 'oauth2_refresh',
      client_id: String(c.client_id ?? ''),
      ...(typeof c.client_secret === 'string' ? { client_secret: c.client_secret } : {}),
      refresh_token: c.refresh_token,
      ...(typeof c.access_token === 'string' ? { access_token: c.access_token } : {}),
      ...(typeof c.token_expiry_date === 'string' ? { token_expiry_date: c.token_expiry_date } : {}),
    };
  } catch {
    return undefined;
  }
}

export interface TokenStore {
  onRotate?: (credentials: Credentials) => void;
  reload?: () => Credentials | undefined;
}

/**
 * `oauth_token_file`: where the current tokens live across runs when the
 * config file is regenerated each run (Meltano writes a fresh one from its
 * settings every invocation, so a write-back there is lost and the next run
 * would send a refresh token Zendesk has deleted). `seeded_from` names the
 * refresh token of the config the lineage started from: a different one in
 * the config means the user re-authorised, and the file starts over from it.
 */
interface TokenFile {
  client_id: string;
  seeded_from?: string;
  refresh_token?: string;
  access_token?: string;
  token_expiry_date?: string;
}

function readTokenFile(path: string): TokenFile | undefined {
  try {
    const t = JSON.parse(readFileSync(path, 'utf8')) as TokenFile;
    registerSecret(t.refresh_token);
    registerSecret(t.access_token);
    return t && typeof t === 'object' && typeof t.client_id === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the stored tokens into config.credentials when they continue the config's lineage; returns the lineage's seed. */
function adoptTokenFile(config: TapConfig, path: string): string | undefined {
  const c = config.credentials as GrantCredentials;
  const own = c.type === 'oauth2_refresh' ? c.refresh_token : undefined;
  const t = readTokenFile(path);
  const continues = t !== undefined && t.client_id === c.client_id && (c.type === 'oauth2_client_credentials' || own === t.seeded_from || own === t.refresh_token);
  if (!continues) {
    if (t) log.info(`OAuth: the config carries credentials other than those in ${path}: starting over from the config`);
    return own;
  }
  config.credentials = {
    ...c,
    ...(c.type === 'oauth2_refresh' && t.refresh_token ? { refresh_token: t.refresh_token } : {}),
    access_token: t.access_token,
    token_expiry_date: t.token_expiry_date,
  } as GrantCredentials;
  return t.seeded_from ?? own;
}

function writableTarget(path: string): boolean {
  try {
    accessSync(dirname(path), constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * How a Singer run persists tokens: the config file, or `oauth_token_file`
 * when set. A rotating refresh token needs that target writable: checked
 * before any request, because finding out after Zendesk rotated the token
 * would lock the user out.
 */
export function singerTokenStore(config: TapConfig): TokenStore {
  const type = config.credentials.type;
  if (type !== 'oauth2_refresh' && type !== 'oauth2_client_credentials') return {};
  const tokenFile = typeof config.raw.oauth_token_file === 'string' && config.raw.oauth_token_file ? config.raw.oauth_token_file : undefined;
  const target = tokenFile ?? config.path;
  if (!target) return {};
  const seededFrom = tokenFile ? adoptTokenFile(config, tokenFile) : undefined;
  if (!(tokenFile ? writableTarget(tokenFile) : writable(target))) {
    if (type === 'oauth2_refresh') {
      throw new ConfigError(
        `${tokenFile ? 'oauth_token_file' : 'the config file'} ${target} (and its directory) must be writable: Zendesk replaces the refresh token on every refresh and tap-zendesk saves the new one there before using it.`,
      );
    }
    // Client credentials can always mint a new token: only the reuse across runs is lost.
    log.warn(`${target} is not writable: each run will request a new OAuth access token instead of reusing the last one`);
    return {};
  }
  const save = (c: Credentials): void => {
    if (!tokenFile) return writeBackCredentials(target, c);
    const g = c as GrantCredentials;
    const file: TokenFile = {
      client_id: g.client_id,
      seeded_from: seededFrom,
      refresh_token: g.type === 'oauth2_refresh' ? g.refresh_token : undefined,
      access_token: g.access_token,
      token_expiry_date: g.token_expiry_date,
    };
    writeAtomically(tokenFile, `${JSON.stringify(file, null, 2)}\n`);
  };
  return {
    onRotate: (c) => {
      try {
        save(c);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        if (type === 'oauth2_client_credentials') {
          log.warn(`could not save the OAuth access token to ${target} (${code}); the next run will request a new one`);
          return;
        }
        throw new ConfigError(
          `could not save the rotated refresh token to ${target} (${code}); Zendesk has already invalidated the previous one, so re-authorise and update credentials.refresh_token.`,
        );
      }
      log.info(`OAuth: saved the new tokens to ${target}`);
    },
    reload: () => {
      if (!tokenFile) return storedCredentials(target);
      const t = readTokenFile(tokenFile);
      const c = config.credentials;
      if (c.type !== 'oauth2_refresh' || !t?.refresh_token) return undefined;
      return { ...c, refresh_token: t.refresh_token, access_token: t.access_token, token_expiry_date: t.token_expiry_date };
    },
  };
}
