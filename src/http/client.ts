/**
 * The only place that talks HTTP. Owns auth, timeouts, retries (axios-retry),
 * Retry-After and the shared rate governor; streams never sleep or retry.
 */
import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, CanceledError, type AxiosInstance, type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';
import axiosRetry from 'axios-retry';
import type { Credentials, TapConfig } from '../config/types.js';
import type { RateBucket } from '../streams/descriptor.js';
import { CancelledError, ConfigError, StreamUnavailableError, TransientError } from '../util/errors.js';
import { log, redact, registerSecret } from '../util/log.js';
import { packageVersion } from '../util/paths.js';
import { Auth } from './auth.js';
import { RateGovernor } from './governor.js';
import { describeErrorBody, describeHttpError, requestIdText, unexpectedAnswer } from './error-body.js';
import { DNS_RETRIES, MAX_RETRIES, RETRY_STATUSES, backoffMs, isDnsFailure, shouldRetry } from './retry-schedule.js';

export type Params = Record<string, string | number | boolean | undefined>;

export interface ApiResponse {
  status: number;
  body: unknown;
  headers: Record<string, string | undefined>;
  requestId: string | undefined;
  /** The parameters finally sent (per_page may have shrunk after timeouts). */
  params: Params;
  bytes: number;
}

export interface RequestOptions {
  bucket: RateBucket;
  stream?: string;
  /** Statuses handed back to the caller instead of thrown (e.g. 400 "too recent start_time"). */
  passStatuses?: number[];
  /** Fewer retries than the default (probes must fail fast). */
  retries?: number;
}

interface TapRequestMeta {
  buckets: RateBucket[];
  stream: string | undefined;
  /** Rate-window stamp of the attempt in flight. */
  stamp?: number;
  /** When the first attempt started, to say how long the retries took. */
  startedAt: number;
  authRetried?: boolean;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    tap?: TapRequestMeta;
  }
}

export interface ClientStats {
  requests: number;
  retries: number;
  rateLimited: number;
  bytes: number;
  byBucket: Partial<Record<RateBucket, number>>;
  /** Requests by the stream that made them (a child stream's requests are its own, not its parent's). */
  byStream: Record<string, number>;
}

export interface ClientHooks {
  onRateLimited?: (info: { stream: string | undefined; resetAt: number }) => void;
  onCredentialsRotated?: (credentials: Credentials) => Promise<void> | void;
  /** The credentials as stored now, to adopt a refresh token another run rotated (see Auth). */
  reloadCredentials?: () => Credentials | undefined;
  /** Aborted when the run must stop (SIGTERM/SIGINT): requests in flight or waiting on a budget end at once. */
  stop?: AbortSignal;
}

export class ZendeskClient {
  readonly governor: RateGovernor;
  readonly stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, bytes: 0, byBucket: {}, byStream: {} };
  private readonly http: AxiosInstance;
  private readonly auth: Auth;
  private readonly stop: AbortSignal | undefined;

  constructor(private readonly config: TapConfig, hooks: ClientHooks = {}) {
    this.stop = hooks.stop;
    this.auth = new Auth({
      baseUrl: config.baseUrl,
      credentials: config.credentials,
      timeoutMs: config.requestTimeoutMs,
      onRotate: hooks.onCredentialsRotated,
      reload: hooks.reloadCredentials,
    });
    // Budgets the config sets are ceilings; the rest are learned from Zendesk's headers.
    const configured: Partial<Record<RateBucket, number>> = {
      ...(config.exportRpm ? { export: config.exportRpm } : {}),
      ...(config.maxRpm ? { account: config.maxRpm, help_center: config.maxRpm } : {}),
    };
    this.governor = new RateGovernor({
      windowMs: config.rateWindowMs,
      limits: configured,
      fixed: Object.keys(configured) as RateBucket[],
      onWait: ({ stream, resetAt, bucket }) => {
        log.info(`rate limit: ${bucket} budget used up, next request at ${new Date(resetAt).toISOString()}${stream ? ` (${stream})` : ''}`);
        hooks.onRateLimited?.({ stream, resetAt });
      },
    });
    const agentOptions = { keepAlive: true, maxSockets: 32 };
    this.http = axios.create({
      baseURL: config.baseUrl,
      timeout: config.requestTimeoutMs,
      responseType: 'text',
      // Parsing ourselves turns a truncated 2xx body into a retryable error instead of a crash.
      transformResponse: [(data: unknown, _headers, status?: number) => parseBody(data, status)],
      headers: { Accept: 'application/json', 'User-Agent': `tap-zendesk/${packageVersion()} (+node ${process.version})` },
      httpAgent: new http.Agent(agentOptions),
      httpsAgent: new https.Agent(agentOptions),
      maxRedirects: 0,
    });
    this.http.interceptors.request.use(async (req: InternalAxiosRequestConfig) => {
      const meta = req.tap!;
      meta.stamp = await this.governor.acquire(meta.buckets, meta.stream, this.stop);
      if (this.stop?.aborted) throw new CanceledError(undefined, undefined, req);
      // Chat has its own OAuth tokens, separate from Support's.
      const chat = meta.buckets.includes('chat') && config.chatAccessToken;
      const authorization = chat ? `Bearer ${config.chatAccessToken}` : await this.auth.header();
      // The header as sent (Basic base64 of "email/token:secret") is a secret too: a server may echo it in an error body.
      registerSecret(authorization.replace(/^\w+ /, ''));
      req.headers.set('Authorization', authorization);
      this.stats.requests++;
      for (const b of meta.buckets) this.stats.byBucket[b] = (this.stats.byBucket[b] ?? 0) + 1;
      if (meta.stream) this.stats.byStream[meta.stream] = (this.stats.byStream[meta.stream] ?? 0) + 1;
      return req;
    });
    // Registered before axios-retry's, so it runs first, for answers and failures alike.
    const settle = (config: AxiosRequestConfig | undefined) => {
      const meta = config?.tap;
      if (meta?.stamp !== undefined) this.governor.settle(meta.buckets, meta.stamp);
    };
    this.http.interceptors.response.use(
      (res) => {
        settle(res.config);
        return res;
      },
      (err: unknown) => {
        if (err instanceof AxiosError) settle(err.config);
        return Promise.reject(err);
      },
    );
    axiosRetry(this.http, {
      retries: MAX_RETRIES,
      shouldResetTimeout: true,
      retryCondition: (error) => shouldRetry(error, retryCountOf(error)),
      // Waits announced by the server go through the governor (shared by all streams).
      retryDelay: (count, error) => (retryAfterMs(error) !== undefined ? 0 : backoffMs(count)),
      onRetry: (count, error, req) => this.onRetry(count, error, req),
    });
  }

  private onRetry(count: number, error: AxiosError, req: AxiosRequestConfig): void {
    this.stats.retries++;
    const meta = req.tap!;
    const status = error.response?.status;
    const wait = retryAfterMs(error);
    if (status === 429) this.stats.rateLimited++;
    if (wait !== undefined) {
      // Zendesk sends Retry-After on 429 and 503; 429 without it means a minute.
      this.governor.block(meta.buckets, Date.now() + wait);
    } else if (status === 429) {
      this.governor.block(meta.buckets, Date.now() + this.config.rateWindowMs);
    }
    const params = (req.params ?? {}) as Params;
    if (isTimeout(error) || status === 504) {
      const per = Number(params.per_page);
      if (per > 100) {
        params.per_page = Math.max(100, Math.floor(per / 2));
        log.warn(`${describe(req)}: timed out, retrying with per_page=${params.per_page}`);
      }
    }
    // A connection dropped after the headers reads as an incomplete 2xx; its cause says which drop.
    const reason = status && status >= 200 && status < 300 ? `incomplete HTTP ${status} body (${error.code ?? error.message})` : status ? `HTTP ${status}` : (error.code ?? error.message);
    const rid = error.response?.headers?.['x-request-id'];
    const level = status === 429 ? 'info' : 'warn';
    const of = isDnsFailure(error.code) ? DNS_RETRIES : MAX_RETRIES;
    log.log(level, `${describe(req)}: ${reason}${requestIdText(rid === undefined ? undefined : String(rid))}; retry ${count}/${of}${wait !== undefined ? ` after ${Math.ceil(wait / 1000)}s (Retry-After)` : ''}`);
  }

  async get(path: string, params: Params, opts: RequestOptions): Promise<ApiResponse> {
    const buckets: RateBucket[] = opts.bucket === 'account' ? ['account'] : [opts.bucket, 'account'];
    const req = {
      tap: { buckets, stream: opts.stream, startedAt: Date.now() },
      params: { ...params },
      ...(this.stop ? { signal: this.stop } : {}),
      ...(opts.retries !== undefined ? { 'axios-retry': { retries: opts.retries } } : {}),
    };
    try {
      const res = await this.requestWithAuthRetry(path, req);
      return this.toResponse(res, req.params);
    } catch (err) {
      if (err instanceof AxiosError && err.response && opts.passStatuses?.includes(err.response.status)) {
        return this.toResponse(err.response, req.params);
      }
      throw this.translate(err, path);
    }
  }

  private async requestWithAuthRetry(path: string, req: AxiosRequestConfig & { tap: TapRequestMeta; params: Params }) {
    try {
      return await this.http.get(path, req);
    } catch (err) {
      if (err instanceof AxiosError && err.response?.status === 401 && this.auth.canRefresh && !req.tap.authRetried) {
        // An expired OAuth token: refresh once, then a second 401 is a config error.
        req.tap.authRetried = true;
        await this.auth.recover(err.config?.headers?.Authorization as string | undefined);
        return await this.http.get(path, req);
      }
      throw err;
    }
  }

  private toResponse(res: { status: number; data: unknown; headers: unknown }, params: Params): ApiResponse {
    const headers = flatHeaders(res.headers);
    this.governor.observe(['account', 'export'], headers);
    const bytes = Number(headers['content-length'] ?? 0);
    this.stats.bytes += bytes;
    return { status: res.status, body: res.data, headers, requestId: headers['x-request-id'], params, bytes };
  }

  private translate(err: unknown, path: string): Error {
    if (this.stop?.aborted) return new CancelledError(`GET ${path}: stopped by a signal`);
    if (!(err instanceof AxiosError)) return err as Error;
    const res = err.response;
    const where = `GET ${path}`;
    if (!res) {
      const host = this.config.baseUrl.replace(/^https?:\/\//, '');
      const tries = retryCountOf(err);
      const spent = `${tries} ${tries === 1 ? 'retry' : 'retries'} over ${Math.round((Date.now() - (err.config?.tap?.startedAt ?? Date.now())) / 1000)}s`;
      if (isDnsFailure(err.code)) {
        return new ConfigError(`cannot resolve ${host} (${err.code}, ${spent}): check "subdomain" (and "base_url", if set) and the network.`);
      }
      if (err.code === 'ECONNREFUSED') {
        return new TransientError(`${host} refused the connection (ECONNREFUSED, ${spent}): check "base_url" and the network.`);
      }
      return new TransientError(`${where} failed (${err.code ?? err.message}, ${spent}). Check the network or raise request_timeout.`);
    }
    const headers = flatHeaders(res.headers);
    const answer = { status: res.status, body: res.data, requestId: headers['x-request-id'] };
    const detail = describeErrorBody(res.data);
    const ridText = requestIdText(answer.requestId);
    if (res.status >= 200 && res.status < 300) {
      return new TransientError(`${where}: the response body kept arriving incomplete (${err.message})${ridText}; run again later.`);
    }
    switch (res.status) {
      case 401:
        return new ConfigError(`Zendesk rejected the credentials (HTTP 401${detail ? `: ${detail}` : ''}${ridText}). ${this.authHint()}`);
      case 403:
        return new StreamUnavailableError(`${describeHttpError(path, answer, 'forbidden, HTTP 403')}. The account's plan, products or this user's role do not allow it.`, 403);
      case 404:
        if (!detail && /\/api\/v2\/(tags|groups|users\/me)/.test(path)) {
          return new ConfigError(`Zendesk answered 404 with an empty body${ridText}: the subdomain "${this.config.subdomain}" does not exist. Check "subdomain".`);
        }
        return new StreamUnavailableError(`${describeHttpError(path, answer, 'not found, HTTP 404')}. The feature is not enabled on this account.`, 404);
      default:
        if (RETRY_STATUSES.has(res.status)) {
          return new TransientError(redact(`${describeHttpError(path, answer)} after ${retryCountOf(err)} retries. Zendesk is unavailable or overloaded; run again later.`));
        }
        return unexpectedAnswer(path, answer);
    }
  }

  private authHint(): string {
    switch (this.auth.kind) {
      case 'api_token':
        return 'Check credentials.email (an admin\'s email) and credentials.api_token, and that token access is enabled in Admin Center.';
      case 'password':
        return 'Check email and password, and that password access is enabled in Admin Center (it is off by default); OAuth is recommended (README, "OAuth setup").';
      case 'oauth2.0':
        return 'The access token is expired or revoked: issue a new one, or use credentials.type "oauth2_client_credentials" or "oauth2_refresh".';
      case 'oauth2_refresh':
        return 'The refreshed access token was refused: check the OAuth client\'s scopes (read) and re-authorise.';
      case 'oauth2_client_credentials':
        return 'The new access token was refused: check credentials.scope (it needs "read") and that the OAuth client\'s owner is an admin.';
    }
  }
}

function parseBody(data: unknown, status: number | undefined): unknown {
  if (typeof data !== 'string') return data;
  if (status !== undefined && status >= 200 && status < 300) {
    if (data === '') return {};
    try {
      return JSON.parse(data);
    } catch {
      throw new AxiosError('response body is not complete JSON (truncated?)', AxiosError.ERR_BAD_RESPONSE);
    }
  }
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function isTimeout(error: AxiosError): boolean {
  return error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || /timeout/i.test(error.message);
}

/** Retries axios-retry has made for this request so far. */
function retryCountOf(error: AxiosError): number {
  return (error.config as { 'axios-retry'?: { retryCount?: number } } | undefined)?.['axios-retry']?.retryCount ?? 0;
}

function retryAfterMs(error: AxiosError): number | undefined {
  const header = error.response?.headers?.['retry-after'];
  if (header === undefined || header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(String(header));
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function flatHeaders(headers: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
      out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v === undefined || v === null ? undefined : String(v);
    }
  }
  return out;
}

function describe(req: AxiosRequestConfig): string {
  return `GET ${req.url ?? ''}${req.tap?.stream ? ` (${req.tap.stream})` : ''}`;
}
