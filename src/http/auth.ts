/**
 * One auth layer for every request path (a broken API-token path on some
 * streams is a classic singer-io complaint). OAuth refresh tokens rotate: the
 * new pair is persisted through `onRotate` before the new access token is used.
 */
import axios from 'axios';
import type { Credentials } from '../config/types.js';
import { ConfigError, TransientError } from '../util/errors.js';
import { log, registerSecret } from '../util/log.js';

export interface AuthOptions {
  baseUrl: string;
  credentials: Credentials;
  timeoutMs: number;
  /** Persist rotated credentials; awaited before the new token is used. */
  onRotate?: (credentials: Credentials) => Promise<void> | void;
}

/** Refresh this long before the stated expiry, so a long page never starts with a dying token. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

export class Auth {
  private credentials: Credentials;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly opts: AuthOptions) {
    this.credentials = opts.credentials;
  }

  get kind(): Credentials['type'] {
    return this.credentials.type;
  }

  get canRefresh(): boolean {
    return this.credentials.type === 'oauth2_refresh';
  }

  async header(): Promise<string> {
    const c = this.credentials;
    switch (c.type) {
      case 'api_token':
        return `Basic ${Buffer.from(`${c.email}/token:${c.api_token}`).toString('base64')}`;
      case 'password':
        return `Basic ${Buffer.from(`${c.email}:${c.password}`).toString('base64')}`;
      case 'oauth2.0':
        return `Bearer ${c.access_token}`;
      case 'oauth2_refresh': {
        const expiry = c.token_expiry_date ? Date.parse(c.token_expiry_date) : Number.NaN;
        if (!c.access_token || (Number.isFinite(expiry) && expiry - EXPIRY_MARGIN_MS <= Date.now())) {
          await this.refresh();
        }
        return `Bearer ${(this.credentials as { access_token: string }).access_token}`;
      }
    }
  }

  /** Single-flight: concurrent 401s share one refresh, or the loser would get invalid_grant. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const c = this.credentials;
    if (c.type !== 'oauth2_refresh') return;
    log.info('OAuth: refreshing the access token');
    let res;
    try {
      res = await axios.post(
        `${this.opts.baseUrl}/oauth/tokens`,
        {
          grant_type: 'refresh_token',
          refresh_token: c.refresh_token,
          client_id: c.client_id,
          client_secret: c.client_secret,
          expires_in: 172800,
        },
        { timeout: this.opts.timeoutMs, validateStatus: () => true, responseType: 'json' },
      );
    } catch (err) {
      throw new TransientError(`OAuth token refresh failed: ${(err as Error).message}. Try again later.`);
    }
    const body = (res.data ?? {}) as Record<string, unknown>;
    if (res.status >= 500) {
      throw new TransientError(`OAuth token refresh failed with HTTP ${res.status}. Try again later.`);
    }
    if (res.status !== 200 || typeof body.access_token !== 'string') {
      const code = typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
      throw new ConfigError(
        `OAuth refresh was refused (${code}): the refresh token is expired, revoked or already used, or the client id/secret is wrong. Re-authorise and update credentials.refresh_token.`,
      );
    }
    registerSecret(body.access_token);
    registerSecret(body.refresh_token);
    const expiresIn = Number(body.expires_in);
    const next: Credentials = {
      ...c,
      access_token: body.access_token,
      refresh_token: typeof body.refresh_token === 'string' ? body.refresh_token : c.refresh_token,
      ...(Number.isFinite(expiresIn) ? { token_expiry_date: new Date(Date.now() + expiresIn * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
    };
    // Zendesk has already deleted the old pair: persist before anything else can fail.
    await this.opts.onRotate?.(next);
    this.credentials = next;
  }
}
