/** Public option types, their defaults and the fixed test credentials. */

export type GateKind = 'forbidden' | 'scope' | 'empty403' | 'not_found';

export interface FaultOptions {
  /** Probabilities 0..1 per request, drawn from a PRNG seeded with `faultSeed`. */
  rate429?: number;
  rate503?: number;
  /** One of 500/502/504/520/524. */
  rate5xx?: number;
  /** Socket destroyed after part of the body. */
  rateReset?: number;
  /** Half the body, then the connection ends. */
  rateTruncated?: number;
  rateSlow?: number;
  slowMs?: number;
  faultSeed?: number;
  /** Retry-After sent with injected 429/503. */
  retryAfterSeconds?: number;
}

export interface Sizes {
  tickets: number;
  users: number;
  organizations: number;
  groups?: number;
  brands?: number;
  /** Talk calls (each with 2-3 legs). */
  calls?: number;
  /** Chat chats and offline messages. */
  chats?: number;
  /** Help Center articles and community posts. */
  articles?: number;
  posts?: number;
}

export interface RateLimitOptions {
  accountRpm: number;
  exportRpm: number;
  windowMs: number;
}

/**
 * Behaviours no Zendesk source states, that the emulator must still pick one way.
 * Each defaults to what the tap was built against; flip one in a test to show the
 * tap survives the other way (or fails loudly). README.md "Sources" lists them.
 */
export interface Assumptions {
  /**
   * A new or changed Help Center comment, vote or attachment moves its parent's
   * (article, post, comment) `updated_at`. Zendesk documents no such thing.
   */
  childTouchesParent: boolean;
  /** A new side conversation updates its ticket (updated_at, generated_timestamp, one audit). Undocumented. */
  sideConversationTouchesTicket: boolean;
  /**
   * Operations that declare no pagination answer everything at once (`next_page: null`,
   * per_page ignored), as MeltanoLabs/tap-zendesk found [3p]. `false`: they page by offset
   * (`per_page` ≤ 100, default 100), as Zendesk's pagination page says of any endpoint that
   * names no method: "If no pagination method is specified, the endpoint only supports offset pagination."
   */
  unpagedAllAtOnce: boolean;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = { childTouchesParent: true, sideConversationTouchesTicket: true, unpagedAllAtOnce: true };

export interface EmulatorOptions {
  seed: number;
  sizes: Sizes;
  rateLimits: false | RateLimitOptions;
  faults: FaultOptions;
  /** Path prefix (e.g. `/api/v2/slas/policies`) -> how access is refused. */
  gated: Record<string, GateKind>;
  passwordAuth: boolean;
  accessTokenTtlSeconds: number;
  /**
   * Short-clock OAuth: every new access token states this `expires_in` and
   * dies after that many real seconds (the virtual clock never moves alone).
   */
  accessTokenWallTtlSeconds: number | undefined;
  legacyTooRecent: boolean;
  /**
   * Chat accepts only its own OAuth token (`CREDENTIALS.chatAccessToken`, Bearer)
   * on /api/v2/chat, as on Zendesk. Off by default so a config without
   * chat_credentials can still read the Chat resources in tests.
   */
  chatOAuthOnly: boolean;
  latencyMs: number;
  /** Undocumented behaviours, each switchable (see `Assumptions`). */
  assumptions: Assumptions;
  host: string;
  port: number;
}

/** What startEmulator accepts: every option optional, sizes and faults merged field by field. */
export type EmulatorInit = Partial<Omit<EmulatorOptions, 'sizes' | 'rateLimits' | 'assumptions'>> & {
  sizes?: Partial<Sizes>;
  assumptions?: Partial<Assumptions>;
  rateLimits?: false | Partial<RateLimitOptions>;
};

export const DEFAULT_SIZES: Required<Sizes> = {
  tickets: 300,
  users: 120,
  organizations: 40,
  groups: 8,
  brands: 3,
  calls: 60,
  chats: 150,
  articles: 40,
  posts: 20,
};

export function withDefaults(opts: EmulatorInit = {}): EmulatorOptions {
  return {
    seed: opts.seed ?? 1,
    sizes: { ...DEFAULT_SIZES, ...(opts.sizes ?? {}) },
    rateLimits:
      opts.rateLimits === false
        ? false
        : { accountRpm: 700, exportRpm: 10, windowMs: 60_000, ...(opts.rateLimits ?? {}) },
    faults: opts.faults ?? {},
    gated: opts.gated ?? {},
    passwordAuth: opts.passwordAuth ?? false,
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 7200,
    accessTokenWallTtlSeconds: opts.accessTokenWallTtlSeconds,
    legacyTooRecent: opts.legacyTooRecent ?? false,
    chatOAuthOnly: opts.chatOAuthOnly ?? false,
    latencyMs: opts.latencyMs ?? 0,
    assumptions: { ...DEFAULT_ASSUMPTIONS, ...(opts.assumptions ?? {}) },
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
  };
}

export const CREDENTIALS = {
  subdomain: 'acme',
  email: 'admin@acme.test',
  apiToken: 'emu-api-token-6wXk2Zr9Qd',
  password: 'emu-password-Hunter2!',
  accessToken: 'emu-access-token-0000-static',
  /** Chat's own OAuth token (config chat_credentials.access_token). */
  chatAccessToken: 'emu-chat-token-0000-static',
  oauth: {
    clientId: 'tap_zendesk_emulator',
    clientSecret: 'emu-client-secret-3f9a',
    refreshToken: 'emu-refresh-token-0000-initial',
  },
  /** A public OAuth client (kind "public"): no secret, refresh grant only. */
  oauthPublic: {
    clientId: 'tap_zendesk_emulator_public',
    refreshToken: 'emu-refresh-token-0000-public',
  },
} as const;

/** Host used in record `url` fields, as real payloads carry the account host. */
export const ACCOUNT_URL = `https://${CREDENTIALS.subdomain}.zendesk.com/api/v2`;
