import { randomBytes } from 'node:crypto';
import { E, json, type Reply } from './errors.js';
import { CREDENTIALS } from './options.js';
import { iso } from './clock.js';

/**
 * API token, password (behind a switch) and OAuth bearer auth, plus the
 * grants of POST /oauth/tokens as Zendesk documents them
 * (developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/):
 * - parameters "must be formatted as JSON"; the answer is 201 Created;
 * - refresh_token: "returns a new access token and refresh token while
 *   invalidating the previous access and refresh tokens" (no grace period
 *   is documented, so none here): a client that loses the new refresh token
 *   is locked out, as on Zendesk;
 * - client_credentials: "intended only for confidential clients", "does not
 *   return a refresh token"; public clients are refused;
 * - expires_in: 300 s < x < 172,800 s (Airbyte sends 172,800 and is served,
 *   so that bound is inclusive here); refresh_token_expires_in: 604,800 s <
 *   x < 7,776,000 s, default 30 days.
 * `accessTokenWallTtlSeconds` compresses time for tests: every new access
 * token says and lives that many real seconds (the virtual clock stands still).
 */

interface AccessToken {
  token: string;
  /** Virtual epoch seconds; null = never expires (the static test token). */
  expiresAt: number | null;
  /** Wall-clock ms (Date.now()); null = no wall-clock limit. */
  wallExpiresAt: number | null;
  createdAt: number;
  refreshToken: string | null;
}

/** The emulator's OAuth clients: the confidential one of CREDENTIALS.oauth and a public one (no secret). */
const CLIENTS: Record<string, { kind: 'confidential' | 'public'; secret: string | null }> = {
  [CREDENTIALS.oauth.clientId]: { kind: 'confidential', secret: CREDENTIALS.oauth.clientSecret },
  [CREDENTIALS.oauthPublic.clientId]: { kind: 'public', secret: null },
};

/** Not in Zendesk's docs: RFC 6749 §5.2's codes, in the invalid_grant body's shape. */
const invalidRequest = (why: string): Reply => json(400, { error: 'invalid_request', error_description: why });
const unauthorizedClient = (): Reply =>
  json(400, { error: 'unauthorized_client', error_description: 'The client is not authorized to use this authorization grant type.' });

export interface GrantEvent {
  grant: 'refresh_token' | 'client_credentials';
  accessToken: string;
  refreshToken: string | null;
}

export type AuthResult = { ok: true; scheme: 'token' | 'password' | 'bearer'; token?: AccessToken } | { ok: false; reply: Reply };

export class Auth {
  private access = new Map<string, AccessToken>();
  private refresh = new Map<string, { expiresAt: number; accessToken: string | null; clientId: string }>();
  /** Grants answered, by type; and every 401 invalid_token sent (a client that renews ahead sees none). */
  readonly counts = { refresh_token: 0, client_credentials: 0, invalidToken: 0 };
  /** Called with each grant just before its answer is written (tests kill the tap from here). */
  onGrant: ((e: GrantEvent) => void) | undefined;

  constructor(
    private readonly now: () => number,
    private readonly passwordAuth: () => boolean,
    private readonly ttl: () => number,
    private readonly wallTtl: () => number | undefined = () => undefined,
  ) {
    const t = now();
    this.access.set(CREDENTIALS.accessToken, { token: CREDENTIALS.accessToken, expiresAt: null, wallExpiresAt: null, createdAt: t, refreshToken: CREDENTIALS.oauth.refreshToken });
    this.refresh.set(CREDENTIALS.oauth.refreshToken, { expiresAt: t + 30 * 86_400, accessToken: CREDENTIALS.accessToken, clientId: CREDENTIALS.oauth.clientId });
    this.refresh.set(CREDENTIALS.oauthPublic.refreshToken, { expiresAt: t + 30 * 86_400, accessToken: null, clientId: CREDENTIALS.oauthPublic.clientId });
  }

  /**
   * A completed authorization-code flow (a user approving the client in the
   * browser): a new refresh token of its own lineage, as a user would paste it.
   */
  authorize(clientId: string = CREDENTIALS.oauth.clientId): string {
    const refreshToken = randomBytes(24).toString('hex');
    this.refresh.set(refreshToken, { expiresAt: this.now() + 30 * 86_400, accessToken: null, clientId });
    return refreshToken;
  }

  /** Whether a refresh token would still be accepted (tests prove a lock-out, or its absence). */
  refreshTokenLive(token: string): boolean {
    const r = this.refresh.get(token);
    return r !== undefined && r.expiresAt > this.now();
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
      if (!t || (t.expiresAt !== null && t.expiresAt <= this.now()) || (t.wallExpiresAt !== null && t.wallExpiresAt <= Date.now())) {
        this.counts.invalidToken++;
        return { ok: false, reply: E.invalidToken() };
      }
      return { ok: true, scheme: 'bearer', token: t };
    }
    return { ok: false, reply: E.basicAuth() };
  }

  /** POST /oauth/tokens: the refresh_token and client_credentials grants. */
  grant(params: Record<string, string>, authorization: string | undefined, contentType: string | undefined): Reply {
    if (!(contentType ?? '').includes('json')) return invalidRequest('The request parameters must be formatted as JSON.');
    let clientId = params.client_id;
    let clientSecret = params.client_secret;
    if (!clientId && authorization && /^basic /i.test(authorization)) {
      const d = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      [clientId, clientSecret] = [d.slice(0, d.indexOf(':')), d.slice(d.indexOf(':') + 1)];
    }
    const client = clientId ? CLIENTS[clientId] : undefined;
    // A confidential client authenticates with its secret; a public one has none to give.
    if (!client || (client.kind === 'confidential' && clientSecret !== client.secret)) return E.invalidClient();
    const now = this.now();
    if (params.grant_type === 'client_credentials') {
      if (client.kind !== 'confidential') return unauthorizedClient();
      // The docs give this grant's expires_in in milliseconds (unlike the table's seconds).
      const requested = positive(params.expires_in);
      const expiresIn = this.wallTtl() ?? (requested !== undefined ? Math.floor(requested / 1000) : this.ttl());
      const accessToken = this.issue(now, expiresIn, null);
      this.counts.client_credentials++;
      this.onGrant?.({ grant: 'client_credentials', accessToken, refreshToken: null });
      return json(201, { access_token: accessToken, token_type: 'bearer', scope: params.scope || 'read', expires_in: expiresIn });
    }
    if (params.grant_type !== 'refresh_token') return E.unsupportedGrant();
    const requested = positive(params.expires_in);
    if (requested !== undefined && (requested <= 300 || requested > 172_800)) {
      return invalidRequest('expires_in must be more than 300 seconds and less than 172,800 seconds.');
    }
    const requestedRefresh = positive(params.refresh_token_expires_in);
    if (requestedRefresh !== undefined && (requestedRefresh <= 604_800 || requestedRefresh >= 7_776_000)) {
      return invalidRequest('refresh_token_expires_in must be more than 604,800 seconds and less than 7,776,000 seconds.');
    }
    const old = params.refresh_token ? this.refresh.get(params.refresh_token) : undefined;
    if (!old || old.expiresAt <= now || old.clientId !== clientId) return E.invalidGrant();
    // Rotation: the previous pair dies with this call.
    this.refresh.delete(params.refresh_token!);
    if (old.accessToken) this.access.delete(old.accessToken);
    const expiresIn = this.wallTtl() ?? requested ?? this.ttl();
    const refreshExpiresIn = requestedRefresh ?? 30 * 86_400;
    const refreshToken = randomBytes(24).toString('hex');
    const accessToken = this.issue(now, expiresIn, refreshToken);
    this.refresh.set(refreshToken, { expiresAt: now + refreshExpiresIn, accessToken, clientId });
    this.counts.refresh_token++;
    this.onGrant?.({ grant: 'refresh_token', accessToken, refreshToken });
    return json(201, {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'bearer',
      scope: 'read',
      expires_in: expiresIn,
      refresh_token_expires_in: refreshExpiresIn,
    });
  }

  private issue(now: number, expiresIn: number, refreshToken: string | null): string {
    const token = randomBytes(24).toString('hex');
    const wall = this.wallTtl();
    this.access.set(token, { token, expiresAt: now + expiresIn, wallExpiresAt: wall === undefined ? null : Date.now() + wall * 1000, createdAt: now, refreshToken });
    return token;
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
