/**
 * Reads, normalises and validates the config. Accepts our own shape, the flat
 * keys of singer-io/tap-zendesk and the `credentials` objects of Airbyte's
 * Zendesk sources, so users of those switch without editing.
 */
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { validate as generatedValidator } from '../generated/config-validator.js';
import { ConfigError } from '../util/errors.js';
import { log, registerSecret } from '../util/log.js';
import { canonicalDate } from './dates.js';
import { schemaProblems } from './problems.js';
import type { Credentials, TapConfig } from './types.js';
import { unknownKeyWarnings } from './unknown-keys.js';

const DEFAULT_START = '2000-01-01T00:00:00Z';
const SECRET_KEYS = ['api_token', 'password', 'access_token', 'refresh_token', 'client_secret', 'client_id'];

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read the ${what} file ${path} (${code ?? 'unreadable'}): check the path.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`the ${what} file ${path} is not valid JSON (${(err as Error).message}).`);
  }
}

export function loadConfig(path: string): TapConfig {
  const raw = readJsonFile(path, 'config');
  return parseConfig(raw, path);
}

export function parseConfig(input: unknown, path?: string): TapConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError(`the config${path ? ` ${path}` : ''} must be a JSON object like {"subdomain": "acme", "credentials": {...}}.`);
  }
  for (const warning of unknownKeyWarnings(input as Record<string, unknown>)) log.warn(warning);
  const normalised = normalise(input as Record<string, unknown>);
  for (const key of SECRET_KEYS) {
    registerSecret((normalised.credentials as Record<string, unknown> | undefined)?.[key]);
  }
  registerSecret((normalised.chat_credentials as Record<string, unknown> | undefined)?.access_token);
  validate(normalised);
  return toTapConfig(normalised, path);
}

/** Maps legacy and foreign shapes onto ours; never throws (validation reports what is missing). */
function normalise(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  // Meltano and some users paste the full host or URL; host names are case-insensitive.
  if (typeof out.subdomain === 'string') {
    const m = /^(?:https?:\/\/)?([a-z0-9-]+)\.zendesk\.com\/?$/i.exec(out.subdomain.trim());
    out.subdomain = (m ? m[1]! : out.subdomain.trim()).toLowerCase();
  }
  for (const key of ['start_date', 'end_date'] as const) {
    const v = out[key];
    const canonical = typeof v === 'string' ? canonicalDate(v) : undefined;
    if (canonical) out[key] = canonical;
  }
  let creds = out.credentials as Record<string, unknown> | undefined;
  if (creds && typeof creds === 'object') {
    creds = { ...creds };
    // Airbyte source-zendesk-support uses `credentials`, source-zendesk-talk uses `auth_type`.
    const kind = creds.type ?? creds.credentials ?? creds.auth_type;
    delete creds.credentials;
    delete creds.auth_type;
    if (kind === 'access_token') creds.type = 'oauth2.0';
    else if (kind === 'oauth2.0' && creds.refresh_token) creds.type = 'oauth2_refresh';
    else creds.type = kind;
    out.credentials = creds;
  } else if (typeof out.refresh_token === 'string') {
    out.credentials = {
      type: 'oauth2_refresh',
      refresh_token: out.refresh_token,
      client_id: out.client_id,
      client_secret: out.client_secret,
      ...(typeof out.access_token === 'string' ? { access_token: out.access_token } : {}),
      // Written back beside the tokens (write-back.ts keeps the flat layout).
      ...(typeof out.token_expiry_date === 'string' ? { token_expiry_date: out.token_expiry_date } : {}),
    };
  } else if (typeof out.access_token === 'string' && typeof out.email === 'string' && out.api_token === undefined) {
    // Airbyte source-zendesk-talk's legacy layout: top-level email + access_token is an API token.
    out.credentials = { type: 'api_token', email: out.email, api_token: out.access_token };
  } else if (typeof out.access_token === 'string') {
    // singer-io/tap-zendesk: access_token takes precedence over email + api_token.
    out.credentials = { type: 'oauth2.0', access_token: out.access_token };
  } else if (typeof out.api_token === 'string' || (typeof out.email === 'string' && out.password === undefined)) {
    out.credentials = { type: 'api_token', email: out.email, api_token: out.api_token };
  } else if (typeof out.password === 'string') {
    out.credentials = { type: 'password', email: out.email, password: out.password };
  }
  const c = out.credentials as Record<string, unknown> | undefined;
  // Meltano Hub appends /token to the email itself; Basic auth adds it again.
  if (c && typeof c.email === 'string') c.email = c.email.replace(/\/token$/, '');
  // singer-io treats 0 or "" as "use the default".
  if (out.request_timeout === 0 || out.request_timeout === '') delete out.request_timeout;
  for (const key of ['page_size', 'request_timeout', 'export_rpm', 'max_rpm', 'concurrency', 'child_sweep_hours'] as const) {
    const v = out[key];
    if (typeof v === 'string' && /^\d+$/.test(v)) out[key] = Number(v);
  }
  for (const key of ['access_token', 'api_token', 'password', 'refresh_token', 'client_id', 'client_secret', 'email', 'token_expiry_date']) {
    if (out.credentials !== undefined) delete out[key];
  }
  return out;
}

/** Compiled at build time (npm run gen:types): compiling at start cost every run ~170 ms. */
const validator = generatedValidator as unknown as ValidateFunction;

/** Every problem at once: schema violations first, then what the schema cannot say. */
function validate(config: Record<string, unknown>): void {
  const problems = validator(config) ? [] : schemaProblems(validator.errors ?? [], config);
  const messages = [...problems.map((p) => p.message), ...semanticProblems(config, new Set(problems.map((p) => p.field)))];
  // One problem per line: the printers prefix each line, so each stays readable alone.
  if (messages.length) throw new ConfigError(messages.join('\n'));
}

/** Checks across settings, for the settings the schema found no fault with. */
function semanticProblems(c: Record<string, unknown>, reported: Set<string>): string[] {
  const out: string[] = [];
  const start = typeof c.start_date === 'string' ? Date.parse(c.start_date) : Date.parse(DEFAULT_START);
  const end = typeof c.end_date === 'string' ? Date.parse(c.end_date) : undefined;
  if (end !== undefined && !reported.has('end_date') && !reported.has('start_date') && end <= start) {
    out.push('config: "end_date" must be later than "start_date".');
  }
  if (typeof c.base_url === 'string' && !reported.has('base_url')) {
    try {
      resolveBaseUrl(c.base_url, String(c.subdomain));
    } catch (err) {
      out.push((err as Error).message);
    }
  }
  return out;
}

function epochOf(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new ConfigError(`config: "${field}" is not a valid date-time: use UTC like "2024-01-01T00:00:00Z".`);
  return Math.floor(ms / 1000);
}

function toTapConfig(c: Record<string, unknown>, path: string | undefined): TapConfig {
  const subdomain = c.subdomain as string;
  const baseUrl = resolveBaseUrl(c.base_url as string | undefined, subdomain);
  const startTime = epochOf((c.start_date as string | undefined) ?? DEFAULT_START, 'start_date');
  const endTime = c.end_date === undefined ? undefined : epochOf(c.end_date as string, 'end_date');
  if (endTime !== undefined && endTime <= startTime) {
    throw new ConfigError('config: "end_date" must be later than "start_date".');
  }
  return {
    subdomain,
    credentials: c.credentials as Credentials,
    startTime,
    endTime,
    baseUrl,
    excludeDeleted: (c.exclude_deleted as boolean | undefined) ?? false,
    pageSize: (c.page_size as number | undefined) ?? 100,
    requestTimeoutMs: ((c.request_timeout as number | undefined) ?? 120) * 1000,
    exportRpm: c.export_rpm as number | undefined,
    maxRpm: c.max_rpm as number | undefined,
    concurrency: (c.concurrency as number | undefined) ?? 4,
    rateWindowMs: ((c.rate_window_seconds as number | undefined) ?? 60) * 1000,
    discoverProbe: (c.discover_probe as boolean | undefined) ?? true,
    customFieldsAsColumns: (c.custom_fields_as_columns as boolean | undefined) ?? false,
    childSweepHours: (c.child_sweep_hours as number | undefined) ?? 24,
    chatAccessToken: (c.chat_credentials as { access_token?: string } | undefined)?.access_token,
    raw: c,
    path,
  };
}

function resolveBaseUrl(override: string | undefined, subdomain: string): string {
  if (override === undefined) return `https://${subdomain}.zendesk.com`;
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new ConfigError(`config: "base_url" is not a URL (${JSON.stringify(override)}).`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.startsWith('127.');
  if (url.protocol === 'http:' && !loopback) {
    throw new ConfigError('config: "base_url" must use https:// (plain http:// is allowed only for localhost, to keep credentials off the wire).');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('config: "base_url" must be an http(s) URL.');
  }
  return url.toString().replace(/\/+$/, '');
}
