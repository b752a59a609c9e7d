import { randomBytes } from 'node:crypto';
import { E, json, type Reply } from './errors.js';
import { CREDENTIALS } from './options.js';
import { iso } from './clock.js';

/**
 * API token, password (behind a switch) and OAuth bearer auth, plus the
 * rotating refresh-token grant: every refresh deletes the previous pair, so a
 * client that loses the new refresh token is locked out, as on Zendesk.
 */

interface AccessToken {
  token: string;
  /** Virtual epoch seconds; null = never expires (the static test token). */
  expiresAt: number | null;
  createdAt: number;
  refreshToken: string;
}

export type AuthResult = { ok: true; scheme: 'token' | 'password' | 'bearer'; token?: AccessToken } | { ok: false; reply: Reply };

export class Auth {
  private access = new Map<string, AccessToken>();
  private refresh = new Map<string, { expiresAt: number; accessToken: string }>();

  constructor(
    private readonly now: () => number,
    private readonly passwordAuth: () => boolean,
    private readonly ttl: () => number,
  ) {
    const t = now();
    this.access.set(CREDENTIALS.accessToken, { token: CREDENTIALS.accessToken, expiresAt: null, createdAt: t, refreshToken: CREDENTIALS.oauth.refreshToken });
    this.refresh.set(CREDENTIALS.oauth.refreshToken, { expiresAt: t + 30 * 86_400, accessToken: CREDENTIALS.accessToken });
  }

  authenticate(header: string | undefined): AuthResult {
    if (!header) return { ok: false, reply: E.basicAuth() };
    const [scheme, value = ''] = header.trim().split(/\s+/, 2);
    if (/^basic$/i.test(scheme ?? '')) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = decoded.slice(0, colon);
      const secret = decoded.slice(colon + 1);
      if (colon > 0 && user.toLowerCase() === `${CREDENTIALS.email}/token` && secret === CREDENTIALS.apiToken) return { ok: true, scheme: 'token' };
      if (colon > 0 && this.passwordAuth() && user.toLowerCase() === CREDENTIALS.email && secret === CREDENTIALS.password) return { ok: true, scheme: 'password' };
      return { ok: false, reply: E.basicAuth() };
    }
    if (/^bearer$/i.test(scheme ?? '')) {
      const t = this.access.get(value);
      if (!t || (t.expiresAt !== null && t.expiresAt <= this.now())) return { ok: false, reply: E.invalidToken() };
      return { ok: true, scheme: 'bearer', token: t };
    }
    return { ok: false, reply: E.basicAuth() };
  }

  /** POST /oauth/tokens (grant_type=refresh_token). */
  grant(params: Record<string, string>, authorization: string | undefined): Reply {
    let clientId = params.client_id;
    let clientSecret = params.client_secret;
    if (!clientId && authorization && /^basic /i.test(authorization)) {
      const d = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      [clientId, clientSecret] = [d.slice(0, d.indexOf(':')), d.slice(d.indexOf(':') + 1)];
    }
    if (clientId !== CREDENTIALS.oauth.clientId || clientSecret !== CREDENTIALS.oauth.clientSecret) return E.invalidClient();
    if (params.grant_type !== 'refresh_token') return E.unsupportedGrant();
    const now = this.now();
    const old = params.refresh_token ? this.refresh.get(params.refresh_token) : undefined;
    if (!old || old.expiresAt <= now) return E.invalidGrant();
    // Rotation: the previous pair dies with this call.
    this.refresh.delete(params.refresh_token!);
    this.access.delete(old.accessToken);
    const expiresIn = positive(params.expires_in) ?? this.ttl();
    const refreshExpiresIn = positive(params.refresh_token_expires_in) ?? 30 * 86_400;
    const accessToken = randomBytes(24).toString('hex');
    const refreshToken = randomBytes(24).toString('hex');
    this.access.set(accessToken, { token: accessToken, expiresAt: now + expiresIn, createdAt: now, refreshToken });
    this.refresh.set(refreshToken, { expiresAt: now + refreshExpiresIn, accessToken });
    return json(200, {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'bearer',
      scope: 'read',
      expires_in: expiresIn,
      refresh_token_expires_in: refreshExpiresIn,
    });
  }

  /** GET /api/v2/oauth/tokens/current: how singer-io's tap learns the expiry. */
  current(t: AccessToken): Reply {
    return json(200, {
      token: {
        url: `https://${CREDENTIALS.subdomain}.zendesk.com/api/v2/oauth/tokens/current.json`,
        id: 360_000_000 + (t.createdAt % 1_000_000),
        user_id: 361_000_000_001,
        client_id: 360_000_123,
        token: `${t.token.slice(0, 6)}...`,
        refresh_token: null,
        created_at: iso(t.createdAt),
        used_at: iso(this.now()),
        expires_at: t.expiresAt === null ? null : iso(t.expiresAt),
        scopes: ['read'],
      },
    });
  }
}

function positive(v: string | undefined): number | undefined {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}
