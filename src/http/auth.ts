/**
 * One auth layer for every request path (a broken API-token path on some
 * streams is a classic singer-io complaint), and the OAuth token lifecycle:
 * a stored access token is used while it is valid, renewed ahead of its
 * expiry (and once after a 401 when the expiry is unknown or wrong).
 *
 * Zendesk deletes the previous access/refresh pair when it answers a refresh
 * (grant_type_tokens docs: "invalidating the previous access and refresh
 * tokens"; no grace period is documented). So the new pair goes through
 * `onRotate` (config file or CONTROL message), awaited, before any other
 * request, including our own first use of the new access token.
 */
import type { Credentials, GrantCredentials } from '../config/types.js';
import { ConfigError } from '../util/errors.js';
import { log } from '../util/log.js';
import { crashPoint } from './crash-point.js';
import { GrantRefused, requestGrant, type GrantAnswer } from './oauth-grant.js';

export interface AuthOptions {
  baseUrl: string;
  credentials: Credentials;
  timeoutMs: number;
  /** Persist new tokens (with their expiry); awaited before the new token is used. */
  onRotate?: (credentials: Credentials) => Promise<void> | void;
  /** The credentials as stored now (Singer: the config file), to adopt a pair another run rotated. */
  reload?: () => Credentials | undefined;
}

/** Renew this long before the stated expiry, so a long page never starts with a dying token. */
const MAX_MARGIN_MS = 5 * 60_000;
/** Access-token lifetime we ask for: Zendesk's maximum (2 days), as Airbyte does; fewer rotations, fewer crash windows. */
export const ACCESS_TOKEN_TTL_S = 172_800;
/**
 * Refresh-token lifetime we ask for: just under Zendesk's 90-day ceiling
 * (default 30), so a tap scheduled monthly does not find its token dead.
 */
export const REFRESH_TOKEN_TTL_S = 7_775_000;

export const OAUTH_README = 'README.md, section "OAuth setup"';
let retirementWarned = false;

/** Once per process: the scheme will stop working, here is when and what to do. */
function warnRetirement(kind: 'api_token' | 'password'): void {
  if (retirementWarned) return;
  retirementWarned = true;
  const what = kind === 'api_token' ? 'an API token' : 'a password (deprecated by Zendesk, off by default on new accounts)';
  log.warn(
    `signing in with ${what}: Zendesk is retiring API tokens and password access. Since 2026-10-27 no account can create new API tokens, ` +
      `tokens unused for 30 days are deactivated, and on 2027-04-30 all API tokens stop working. Switch to OAuth ` +
      `(credentials.type "oauth2_client_credentials" or "oauth2_refresh"): see ${OAUTH_README}.`,
  );
}

function isGrant(c: Credentials): c is GrantCredentials {
  return c.type === 'oauth2_refresh' || c.type === 'oauth2_client_credentials';
}

function expiryOf(c: Credentials): number {
  const iso = 'token_expiry_date' in c ? c.token_expiry_date : undefined;
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(ms) ? ms : Number.POSITIVE_INFINITY;
}

/** When to renew: 5 minutes ahead, or a fifth of the lifetime for tokens shorter than 25 minutes. */
function renewalTime(expiryMs: number, lifetimeMs: number | undefined): number {
  if (!Number.isFinite(expiryMs)) return expiryMs;
  return expiryMs - Math.min(MAX_MARGIN_MS, lifetimeMs === undefined ? MAX_MARGIN_MS : lifetimeMs / 5);
}

function isoSeconds(ms: number): string {
  // Rounded down: the stored expiry is never later than the real one.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export class Auth {
  private credentials: Credentials;
  private renewAt: number;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly opts: AuthOptions) {
    this.credentials = opts.credentials;
    this.renewAt = renewalTime(expiryOf(this.credentials), undefined);
  }

  get kind(): Credentials['type'] {
    return this.credentials.type;
  }

  get canRefresh(): boolean {
    return isGrant(this.credentials);
  }

  async header(): Promise<string> {
    const c = this.credentials;
    switch (c.type) {
      case 'api_token':
        warnRetirement('api_token');
        return `Basic ${Buffer.from(`${c.email}/token:${c.api_token}`).toString('base64')}`;
      case 'password':
        warnRetirement('password');
        return `Basic ${Buffer.from(`${c.email}:${c.password}`).toString('base64')}`;
      case 'oauth2.0':
        if (expiryOf(c) <= Date.now()) {
          throw new ConfigError(
            `credentials.access_token expired at ${c.token_expiry_date}: an access token alone cannot be renewed. Use credentials.type "oauth2_client_credentials" or "oauth2_refresh" (${OAUTH_README}).`,
          );
        }
        return `Bearer ${c.access_token}`;
      case 'oauth2_refresh':
      case 'oauth2_client_credentials':
        if (!c.access_token || Date.now() >= this.renewAt) await this.refresh();
        return `Bearer ${(this.credentials as GrantCredentials).access_token!}`;
    }
  }

  /**
   * After a 401: renew, unless the token that failed has already been
   * replaced (concurrent requests failing together must not rotate twice).
   */
  async recover(failedAuthorization: string | undefined): Promise<void> {
    const c = this.credentials;
    if (!isGrant(c)) return;
    if (failedAuthorization && c.access_token && failedAuthorization !== `Bearer ${c.access_token}`) return;
    await this.refresh();
  }

  /** Single-flight: concurrent callers share one grant, or the loser would get invalid_grant. */
  refresh(): Promise<void> {
    this.refreshing ??= this.renew().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async renew(): Promise<void> {
    const c = this.credentials;
    if (!isGrant(c)) return;
    log.info(c.type === 'oauth2_client_credentials' ? 'OAuth: requesting an access token (client credentials)' : 'OAuth: refreshing the access token');
    const answer = await this.grant(c);
    if (!answer) return;
    crashPoint('token-received');
    const base = this.credentials as GrantCredentials;
    const lifetimeMs = answer.expiresIn === undefined ? undefined : answer.expiresIn * 1000;
    const expiry = lifetimeMs === undefined ? Number.POSITIVE_INFINITY : answer.receivedAt + lifetimeMs;
    const next = {
      ...base,
      access_token: answer.accessToken,
      ...(base.type === 'oauth2_refresh' && answer.refreshToken ? { refresh_token: answer.refreshToken } : {}),
      // Explicitly undefined when Zendesk gave no expiry, so a stale stored one is dropped.
      token_expiry_date: Number.isFinite(expiry) ? isoSeconds(expiry) : undefined,
    } as GrantCredentials;
    // Zendesk has already deleted the old pair: persist before anything else can fail or run.
    await this.opts.onRotate?.(next);
    crashPoint('token-persisted');
    log.info(
      `OAuth: new access token${answer.refreshToken ? ' and rotated refresh token' : ''} persisted ${Date.now() - answer.receivedAt} ms after Zendesk's answer` +
        (Number.isFinite(expiry) ? `; valid until ${isoSeconds(expiry)}` : '; Zendesk gave no expiry'),
    );
    this.credentials = next;
    this.renewAt = renewalTime(expiry, lifetimeMs);
  }

  /** The grant request; undefined when a pair another run saved made it unnecessary. */
  private async grant(c: GrantCredentials): Promise<GrantAnswer | undefined> {
    if (c.type === 'oauth2_client_credentials') {
      // No expires_in: the docs give its unit as milliseconds for this grant and seconds in the
      // table; a wrong guess is refused. Zendesk's answer states the lifetime in seconds.
      return requestGrant(
        this.opts.baseUrl,
        { grant_type: 'client_credentials', client_id: c.client_id, client_secret: c.client_secret, scope: c.scope ?? 'read' },
        this.opts.timeoutMs,
      );
    }
    try {
      return await requestGrant(this.opts.baseUrl, refreshBody(c), this.opts.timeoutMs);
    } catch (err) {
      // Another run (say a sync started while discovery ran) may have rotated it and saved the new pair.
      const stored = err instanceof GrantRefused && err.code === 'invalid_grant' ? await this.rotatedElsewhere(c.refresh_token) : undefined;
      if (!stored) throw err;
      log.info('OAuth: the refresh token was rotated by another run; using the pair it saved');
      this.credentials = stored;
      this.renewAt = renewalTime(expiryOf(stored), undefined);
      if (stored.access_token && Date.now() < this.renewAt) return undefined;
      return requestGrant(this.opts.baseUrl, refreshBody(stored), this.opts.timeoutMs);
    }
  }

  /**
   * The stored pair when another run has replaced `used`. That run saves the
   * new pair milliseconds after Zendesk's answer, which may be just after our
   * invalid_grant: watch the store for up to 3 s before giving up.
   */
  private async rotatedElsewhere(used: string): Promise<Extract<Credentials, { type: 'oauth2_refresh' }> | undefined> {
    if (!this.opts.reload) return undefined;
    for (const wait of RELOAD_WAITS_MS) {
      await sleep(wait);
      const stored = this.opts.reload();
      if (stored?.type === 'oauth2_refresh' && stored.refresh_token !== used) return stored;
    }
    return undefined;
  }
}

/** How long to watch the stored config for a pair another run is saving right now. */
const RELOAD_WAITS_MS = [0, 250, 500, 1000, 1250];

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function refreshBody(c: Extract<Credentials, { type: 'oauth2_refresh' }>) {
  return {
    grant_type: 'refresh_token' as const,
    refresh_token: c.refresh_token,
    client_id: c.client_id,
    ...(c.client_secret ? { client_secret: c.client_secret } : {}),
    expires_in: ACCESS_TOKEN_TTL_S,
    refresh_token_expires_in: REFRESH_TOKEN_TTL_S,
  };
}
