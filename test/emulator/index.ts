import type { AddressInfo } from 'node:net';
import { VirtualClock } from './clock.js';
import { Auth } from './auth.js';
import { FaultInjector, type FaultKind } from './faults.js';
import { RateLimiter } from './ratelimit.js';
import { supportRoutes } from './routes.js';
import { emptyStats, startServer, type EmulatorStats } from './server.js';
import { Dataset } from './data/dataset.js';
import { CREDENTIALS, DEFAULT_ASSUMPTIONS, DEFAULT_SIZES, withDefaults, type EmulatorInit, type EmulatorOptions } from './options.js';
import type { Registry } from './registry.js';

/**
 * A fake Zendesk for the tap's tests: one HTTP server, a deterministic
 * generated account, a virtual clock, rate limits and injectable faults.
 * See README.md next to this file.
 */

export { CREDENTIALS, DEFAULT_ASSUMPTIONS } from './options.js';
export type { Assumptions, EmulatorInit, EmulatorOptions, FaultOptions, GateKind, Sizes, RateLimitOptions } from './options.js';
export type { EmulatorStats } from './server.js';
export type { FaultKind } from './faults.js';

export interface Emulator {
  url: string;
  port: number;
  close(): Promise<void>;
  clock: { now(): number; advance(seconds: number): void; set(epochSeconds: number): void };
  truth(stream: string): Iterable<Record<string, unknown>>;
  mutate: {
    updateTicket(id: number, changes?: Record<string, unknown>): void;
    systemUpdateTicket(id: number): void;
    createTicket(fields?: Record<string, unknown>): number;
    deleteTicket(id: number): void;
    updateUser(id: number, changes?: Record<string, unknown>): void;
    createUser(fields?: Record<string, unknown>): number;
    updateOrganization(id: number, changes?: Record<string, unknown>): void;
    createOrganizations(count: number, atSecond: number): number[];
    /**
     * Any small resource by tap stream name (macros, calls, chats, articles,
     * article_comments, custom_object_records, ...): the record's change-time
     * fields move to now; a child's change moves its parent's updated_at too.
     */
    updateRecord(stream: string, id: unknown, changes?: Record<string, unknown>): void;
    /** A new record of a small resource (copy of the first one, stamped now, then `fields`); returns its id. */
    createRecord(stream: string, fields?: Record<string, unknown>): unknown;
    /** A side conversation on a ticket (the ticket changes too); returns its id. */
    addSideConversation(ticketId: number): string;
    addAuditLog(fields?: Record<string, unknown>): number;
  };
  stats(): EmulatorStats;
  resetStats(): void;
  failNext(kind: FaultKind, count?: number, pathPrefix?: string): void;
  setOption<K extends keyof EmulatorOptions>(key: K, value: EmulatorOptions[K]): void;
  readonly credentials: typeof CREDENTIALS;
  /** The OAuth server: grant counts, live refresh tokens, a hook on each grant. */
  readonly oauth: Pick<Auth, 'counts' | 'refreshTokenLive' | 'onGrant' | 'authorize'>;
  /** The route table, for adding resources from a test. */
  readonly registry: Registry;
}

export async function startEmulator(partial: EmulatorInit = {}): Promise<Emulator> {
  const opts = withDefaults(partial);
  const clock = new VirtualClock();
  const build = (): Dataset => new Dataset(opts.seed, { ...DEFAULT_SIZES, ...opts.sizes }, clock, () => opts.assumptions);
  let data = build();
  let stats = emptyStats();
  let url = '';
  const auth = new Auth(
    () => clock.now(),
    () => opts.passwordAuth,
    () => opts.accessTokenTtlSeconds,
    () => opts.accessTokenWallTtlSeconds,
  );
  const limiter = new RateLimiter(() => opts.rateLimits);
  const faults = new FaultInjector(() => opts.faults);
  const registry = supportRoutes();
  const server = startServer({
    options: () => opts,
    clock,
    data: () => data,
    auth,
    limiter,
    faults,
    registry,
    stats: () => stats,
    baseUrl: () => url,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${opts.host}:${port}`;

  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    clock: {
      now: () => clock.now(),
      advance: (s) => clock.advance(s),
      set: (t) => clock.set(t),
    },
    truth: (stream) => data.truth(stream),
    mutate: {
      updateTicket: (id, changes) => data.updateTicket(id, changes),
      systemUpdateTicket: (id) => data.systemUpdateTicket(id),
      createTicket: (fields) => data.createTicket(fields),
      deleteTicket: (id) => data.deleteTicket(id),
      updateUser: (id, changes) => data.updateUser(id, changes),
      createUser: (fields) => data.createUser(fields),
      updateOrganization: (id, changes) => data.updateOrganization(id, changes),
      createOrganizations: (count, at) => data.createOrganizations(count, at),
      updateRecord: (stream, id, changes) => data.updateRecord(stream, id, changes),
      createRecord: (stream, fields) => data.createRecord(stream, fields),
      addSideConversation: (ticketId) => data.addSideConversation(ticketId),
      addAuditLog: (fields) => data.addAuditLog(fields),
    },
    stats: () => stats,
    resetStats: () => {
      stats = emptyStats();
    },
    failNext: (kind, count = 1, prefix) => faults.failNext(kind, count, prefix),
    setOption: (key, value) => {
      opts[key] = value;
      if (key === 'sizes') opts.sizes = { ...DEFAULT_SIZES, ...(value as EmulatorOptions['sizes']) };
      if (key === 'assumptions') opts.assumptions = { ...DEFAULT_ASSUMPTIONS, ...(value as EmulatorOptions['assumptions']) };
      // A different account: mutations of the old one are dropped.
      if (key === 'seed' || key === 'sizes') data = build();
      if (key === 'rateLimits') limiter.reset();
    },
    credentials: CREDENTIALS,
    oauth: auth,
    registry,
  };
}
