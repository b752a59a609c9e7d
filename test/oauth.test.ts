/**
 * OAuth lifecycle across runs, on an emulator that rotates refresh tokens on
 * every refresh (the old pair dies), answers client_credentials for
 * confidential clients, and can issue access tokens that die after a few real
 * seconds. Each test names its cell of the matrix: scheme x command x situation.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singerTokenStore } from '../src/config/write-back.js';
import type { TapConfig } from '../src/config/types.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { airbyte, configureFile, ofType, type CatalogStream } from './helpers/airbyte.js';
import { CLI, emulatorConfig, recordsOf, runTap, selectStreams, tempFile, type TapRun } from './helpers/tap.js';

const STREAMS = ['groups', 'users', 'organizations'];
/** List streams read page by page: with page_size 2 and a slow emulator a sync outlasts several short-lived tokens. */
const LIST_STREAMS = ['groups', 'brands', 'ticket_fields', 'tags', 'group_memberships'];

let emu: Emulator;
let singerCatalog: string;
let listCatalog: string;
let airbyteStreams: CatalogStream[];

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false });
  const discovered = await runTap(['--config', tempFile('c.json', emulatorConfig(emu)), '--discover']);
  singerCatalog = tempFile('cat.json', selectStreams(JSON.parse(discovered.stdout), STREAMS));
  listCatalog = tempFile('lists.json', selectStreams(JSON.parse(discovered.stdout), LIST_STREAMS));
  const ab = await airbyte(['discover', '--config', tempFile('c2.json', emulatorConfig(emu))]);
  airbyteStreams = ofType(ab, 'CATALOG')[0]!.catalog.streams;
});
afterAll(async () => {
  emu?.close();
});

/** Lifetime of the short-clock access tokens, in real seconds. */
const TTL = 3;
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

/** A config file holding a refresh token of its own, as a user pastes it after authorising the client. */
async function freshRefreshConfig(extra: Record<string, unknown> = {}): Promise<{ path: string; refreshToken: string }> {
  const refreshToken = emu.oauth.authorize();
  return { path: tempFile('oauth.json', oauthRefresh(refreshToken, extra)), refreshToken };
}

function oauthRefresh(refreshToken: string, extra: Record<string, unknown> = {}) {
  const o = emu.credentials.oauth;
  return emulatorConfig(emu, { credentials: { type: 'oauth2_refresh', client_id: o.clientId, client_secret: o.clientSecret, refresh_token: refreshToken }, ...extra });
}

function clientCredentials(extra: Record<string, unknown> = {}, clientId: string = emu.credentials.oauth.clientId) {
  return emulatorConfig(emu, { credentials: { type: 'oauth2_client_credentials', client_id: clientId, client_secret: emu.credentials.oauth.clientSecret }, ...extra });
}

function expectNoSecrets(run: TapRun, ...secrets: Array<string | undefined>): void {
  for (const s of secrets) if (s) expect(run.stderr, 'secret on stderr').not.toContain(s);
}

/** What the Airbyte platform does with a CONTROL message: store the config it carries. */
function adoptControl(run: { lines: Record<string, any>[] }, path: string): Record<string, any> | undefined {
  const controls = ofType(run, 'CONTROL');
  const last = controls.at(-1)?.control.connectorConfig.config as Record<string, any> | undefined;
  if (last) writeFileSync(path, JSON.stringify(last));
  return last;
}

describe('oauth2_refresh (confidential client) across commands', () => {
  it('discover -> sync -> sync -> Airbyte check -> discover -> read -> sync: every run renews on a short clock, none loses the token', async () => {
    const { path } = await freshRefreshConfig();
    // Tokens live 4 real seconds: every run finds the stored one nearly expired and must rotate.
    emu.setOption('accessTokenWallTtlSeconds', 4);
    try {
      const seen: string[] = [read(path).credentials.refresh_token];
      const step = async (what: string, run: () => Promise<TapRun>, afterwards?: (r: any) => void) => {
        const before = emu.oauth.counts.refresh_token;
        const r = await run();
        expect(r.code, `${what}: ${r.stderr.slice(-1500)}`).toBe(0);
        afterwards?.(r);
        const token = read(path).credentials.refresh_token as string;
        expect(emu.oauth.counts.refresh_token, `${what} refreshed`).toBeGreaterThan(before);
        expect(token, `${what} saved a new refresh token`).not.toBe(seen.at(-1));
        expect(emu.oauth.refreshTokenLive(token), `${what}: the saved token is the live one`).toBe(true);
        for (const old of seen) expect(emu.oauth.refreshTokenLive(old)).toBe(false);
        expectNoSecrets(r, token, read(path).credentials.access_token, emu.credentials.oauth.clientSecret);
        seen.push(token);
      };
      await step('Singer discover', () => runTap(['--config', path, '--discover']));
      await step('Singer sync 1', () => runTap(['--config', path, '--catalog', singerCatalog]), (r) => expect(recordsOf(r.messages, 'groups').length).toBeGreaterThan(0));
      await step('Singer sync 2', () => runTap(['--config', path, '--catalog', singerCatalog]));
      await step('Airbyte check', () => airbyte(['check', '--config', path]), (r) => {
        expect(ofType(r, 'CONNECTION_STATUS')[0]!.connectionStatus.status).toBe('SUCCEEDED');
        expect(adoptControl(r, path)).toBeDefined();
      });
      await step('Airbyte discover', () => airbyte(['discover', '--config', path]), (r) => {
        expect(r.lines.map((m: any) => m.type).filter((t: string) => t !== 'LOG')).toEqual(['CONTROL', 'CATALOG']);
        adoptControl(r, path);
      });
      await step('Airbyte read', () => airbyte(['read', '--config', path, '--catalog', configureFile(airbyteStreams, STREAMS)]), (r) => {
        const types = r.lines.map((m: any) => m.type);
        expect(types.indexOf('CONTROL')).toBeLessThan(types.indexOf('RECORD'));
        adoptControl(r, path);
      });
      await step('Singer sync after Airbyte', () => runTap(['--config', path, '--catalog', singerCatalog]));
      // Renewed ahead every time: Zendesk never had to refuse an access token.
      expect(emu.oauth.counts.invalidToken).toBe(0);
    } finally {
      emu.setOption('accessTokenWallTtlSeconds', undefined);
    }
  }, 120_000);

  it('a valid stored access token is used as is: no refresh, no rotation (Singer discover + sync, Airbyte check)', async () => {
    const { path } = await freshRefreshConfig();
    const first = await runTap(['--config', path, '--discover']);
    expect(first.code, first.stderr).toBe(0);
    const saved = read(path).credentials;
    expect(saved.token_expiry_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // 48 h asked for (Zendesk's maximum), so one rotation every two days at most.
    expect(Date.parse(saved.token_expiry_date) - Date.now()).toBeGreaterThan(47 * 3600_000);
    const before = emu.oauth.counts.refresh_token;
    expect((await runTap(['--config', path, '--catalog', singerCatalog])).code).toBe(0);
    expect((await runTap(['--config', path, '--discover'])).code).toBe(0);
    const check = await airbyte(['check', '--config', path]);
    expect(ofType(check, 'CONTROL')).toEqual([]);
    expect(emu.oauth.counts.refresh_token).toBe(before);
    expect(read(path).credentials.refresh_token).toBe(saved.refresh_token);
  });

  it('an access token expiring mid-run is renewed ahead of its expiry, with zero 401s (Singer sync, 3 s tokens, 250 ms per request)', async () => {
    const { path } = await freshRefreshConfig({ concurrency: 1, page_size: 2 });
    emu.setOption('accessTokenWallTtlSeconds', TTL);
    emu.setOption('latencyMs', 250);
    const before = { ...emu.oauth.counts };
    try {
      const started = Date.now();
      const run = await runTap(['--config', path, '--catalog', listCatalog]);
      const secs = (Date.now() - started) / 1000;
      expect(run.code, run.stderr.slice(-1500)).toBe(0);
      expect(secs, 'the run must outlive several tokens').toBeGreaterThan(3 * TTL);
      const refreshes = emu.oauth.counts.refresh_token - before.refresh_token;
      expect(refreshes).toBeGreaterThanOrEqual(Math.floor(secs / TTL));
      expect(emu.oauth.counts.invalidToken - before.invalidToken).toBe(0);
      expect(recordsOf(run.messages, 'groups').length).toBe([...emu.truth('groups')].length);
      expect(emu.oauth.refreshTokenLive(read(path).credentials.refresh_token)).toBe(true);
      console.log(`mid-run renewal: ${secs.toFixed(1)} s run, ${refreshes} refreshes ahead of expiry, 0 invalid_token answers`);
    } finally {
      emu.setOption('accessTokenWallTtlSeconds', undefined);
      emu.setOption('latencyMs', 0);
    }
  }, 60_000);

  it('two runs started together on one config: the loser of the refresh race adopts the pair the winner saved', async () => {
    const { path } = await freshRefreshConfig();
    // Each answer comes a second late, so both runs read the config before either can save a rotation,
    // however far apart a loaded machine starts the two processes.
    emu.setOption('latencyMs', 1000);
    try {
      const [a, b] = await Promise.all([runTap(['--config', path, '--catalog', singerCatalog]), runTap(['--config', path, '--discover'])]);
      expect(a.code, a.stderr.slice(-800)).toBe(0);
      expect(b.code, b.stderr.slice(-800)).toBe(0);
      expect(a.stderr + b.stderr).toMatch(/rotated by another run/);
      expect(emu.oauth.refreshTokenLive(read(path).credentials.refresh_token)).toBe(true);
    } finally {
      emu.setOption('latencyMs', 0);
    }
  }, 60_000);

  it('a refresh token rotated away is a clear config error naming the fix, no secret printed', async () => {
    const { path, refreshToken } = await freshRefreshConfig();
    const stale = tempFile('stale.json', read(path));
    expect((await runTap(['--config', path, '--discover'])).code).toBe(0);
    const run = await runTap(['--config', stale, '--catalog', singerCatalog]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/OAuth refresh was refused \(invalid_grant\).*Re-authorise/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expectNoSecrets(run, refreshToken, emu.credentials.oauth.clientSecret);
  }, 30_000);
});

describe('oauth2_refresh under a runner that regenerates the config every run (Meltano)', () => {
  /** Meltano writes a new config file from its stored settings for every invocation. */
  const meltanoRun = (settings: Record<string, unknown>, args: string[]) => runTap(['--config', tempFile('meltano-run.json', settings), ...args]);

  it('without oauth_token_file the rotation written to the throwaway config is lost: the next run meets invalid_grant', async () => {
    const { path } = await freshRefreshConfig();
    const settings = read(path);
    expect((await meltanoRun(settings, ['--discover'])).code).toBe(0);
    const sync = await meltanoRun(settings, ['--catalog', singerCatalog]);
    expect(sync.code).toBe(2);
    expect(sync.stderr).toMatch(/invalid_grant/);
  });

  it('with oauth_token_file: discover -> sync -> sync -> sync (short clock) all work, and a re-authorised token in the settings starts a new lineage', async () => {
    const tokenFile = join(dirname(tempFile('x', '')), `tokens-${Date.now()}.json`);
    const { path } = await freshRefreshConfig({ oauth_token_file: tokenFile });
    const settings = read(path);
    emu.setOption('accessTokenWallTtlSeconds', TTL);
    try {
      for (const args of [['--discover'], ['--catalog', singerCatalog], ['--catalog', singerCatalog], ['--catalog', singerCatalog]]) {
        const run = await meltanoRun(settings, args);
        expect(run.code, run.stderr.slice(-800)).toBe(0);
        const stored = read(tokenFile);
        expect(emu.oauth.refreshTokenLive(stored.refresh_token)).toBe(true);
        expect(stored.seeded_from).toBe(settings.credentials.refresh_token);
        expectNoSecrets(run, stored.refresh_token, stored.access_token);
      }
    } finally {
      emu.setOption('accessTokenWallTtlSeconds', undefined);
    }
    // The user re-authorises and pastes a new refresh token into the settings.
    const fresh = emu.oauth.authorize();
    const again = await meltanoRun({ ...settings, credentials: { ...settings.credentials, refresh_token: fresh } }, ['--discover']);
    expect(again.code, again.stderr.slice(-800)).toBe(0);
    expect(read(tokenFile).seeded_from).toBe(fresh);
    expect(emu.oauth.refreshTokenLive(fresh)).toBe(false);
  }, 60_000);
});

describe('oauth2_refresh: a crash between Zendesk answer and the write', () => {
  /** Spawns the tap and SIGKILLs it `delayMs` after the emulator computed the first grant's answer. */
  function killAfterGrant(args: string[], delayMs: number): Promise<{ signal: NodeJS.Signals | null; granted: string | undefined }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore', env: { ...process.env, TAP_ZENDESK_PROGRESS_MS: '0' } });
      let granted: string | undefined;
      emu.oauth.onGrant = (e) => {
        emu.oauth.onGrant = undefined;
        granted = e.refreshToken ?? undefined;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      };
      child.on('close', (_code, signal) => {
        emu.oauth.onGrant = undefined;
        done({ signal, granted });
      });
    });
  }

  it('killed right after the answer arrives, before the write (TAP_ZENDESK_CRASH_AT=token-received): the residual lock-out, stated', async () => {
    const { path, refreshToken } = await freshRefreshConfig();
    let issued: string | undefined;
    emu.oauth.onGrant = (e) => {
      issued = e.refreshToken ?? undefined;
    };
    const run = await runTap(['--config', path, '--discover'], { env: { TAP_ZENDESK_CRASH_AT: 'token-received' } });
    emu.oauth.onGrant = undefined;
    expect(run.signal).toBe('SIGKILL');
    // The file is intact and still holds the old token, which Zendesk has already deleted:
    // with no documented grace period, nothing the tap does after the answer can save this case.
    expect(read(path).credentials.refresh_token).toBe(refreshToken);
    expect(emu.oauth.refreshTokenLive(refreshToken)).toBe(false);
    expect(emu.oauth.refreshTokenLive(issued!)).toBe(true);
    const next = await runTap(['--config', path, '--discover']);
    expect(next.code).toBe(2);
    expect(next.stderr).toMatch(/invalid_grant.*Re-authorise and update credentials\.refresh_token/);
  });

  it('killed right after the write (TAP_ZENDESK_CRASH_AT=token-persisted): the next run goes on with the saved pair, without a refresh', async () => {
    const { path, refreshToken } = await freshRefreshConfig();
    const run = await runTap(['--config', path, '--discover'], { env: { TAP_ZENDESK_CRASH_AT: 'token-persisted' } });
    expect(run.signal).toBe('SIGKILL');
    const saved = read(path).credentials;
    expect(saved.refresh_token).not.toBe(refreshToken);
    expect(saved.access_token).toBeTypeOf('string');
    expect(readdirSync(dirname(path)).filter((f) => f.startsWith(`${basename(path)}.tmp-`))).toEqual([]);
    const before = emu.oauth.counts.refresh_token;
    const next = await runTap(['--config', path, '--catalog', singerCatalog]);
    expect(next.code, next.stderr.slice(-800)).toBe(0);
    expect(emu.oauth.counts.refresh_token).toBe(before);
  });

  it('SIGKILL from outside at 0-20 ms after the emulator answers: the config is always whole, and holds either the live pair or the one Zendesk just replaced', async () => {
    const outcomes: string[] = [];
    for (const delay of [0, 0, 1, 2, 3, 5, 8, 12, 20]) {
      const { path, refreshToken } = await freshRefreshConfig();
      const { granted } = await killAfterGrant(['--config', path, '--discover'], delay);
      const stored = read(path).credentials.refresh_token as string; // parses: never half-written
      if (stored === granted) {
        expect(emu.oauth.refreshTokenLive(stored)).toBe(true);
        const next = await runTap(['--config', path, '--discover']);
        expect(next.code, next.stderr.slice(-500)).toBe(0);
        outcomes.push(`${delay}ms:saved`);
      } else {
        expect(stored).toBe(refreshToken);
        expect(emu.oauth.refreshTokenLive(stored)).toBe(granted === undefined);
        outcomes.push(`${delay}ms:${granted === undefined ? 'no-grant' : 'lost'}`);
      }
    }
    console.log(`external SIGKILL after the grant: ${outcomes.join(' ')}`);
  }, 120_000);
});

describe('oauth2_refresh with a public client (no secret)', () => {
  it('Singer sync refreshes with client_id alone and saves the rotation', async () => {
    const o = emu.credentials.oauthPublic;
    const path = tempFile('public.json', emulatorConfig(emu, { credentials: { type: 'oauth2_refresh', client_id: o.clientId, refresh_token: o.refreshToken } }));
    const run = await runTap(['--config', path, '--catalog', singerCatalog]);
    expect(run.code, run.stderr.slice(-800)).toBe(0);
    const saved = read(path).credentials;
    expect(saved.client_secret).toBeUndefined();
    expect(emu.oauth.refreshTokenLive(saved.refresh_token)).toBe(true);
    expect(emu.oauth.refreshTokenLive(o.refreshToken)).toBe(false);
  });
});

describe('oauth2_client_credentials (confidential client)', () => {
  it('Singer discover grants and saves token + expiry; sync and Airbyte check reuse it (no grant); an expired one is renewed', async () => {
    const path = tempFile('cc.json', clientCredentials());
    const before = emu.oauth.counts.client_credentials;
    const discover = await runTap(['--config', path, '--discover']);
    expect(discover.code, discover.stderr.slice(-800)).toBe(0);
    expect(emu.oauth.counts.client_credentials).toBe(before + 1);
    const saved = read(path).credentials;
    expect(saved).toMatchObject({ type: 'oauth2_client_credentials', client_id: emu.credentials.oauth.clientId });
    expect(saved.access_token).toBeTypeOf('string');
    expect(saved.refresh_token).toBeUndefined();
    expect(Date.parse(saved.token_expiry_date)).toBeGreaterThan(Date.now());
    expectNoSecrets(discover, saved.access_token, emu.credentials.oauth.clientSecret);

    const sync = await runTap(['--config', path, '--catalog', singerCatalog]);
    expect(sync.code).toBe(0);
    expect(recordsOf(sync.messages, 'groups').length).toBeGreaterThan(0);
    const check = await airbyte(['check', '--config', path]);
    expect(ofType(check, 'CONNECTION_STATUS')[0]!.connectionStatus.status).toBe('SUCCEEDED');
    expect(emu.oauth.counts.client_credentials).toBe(before + 1);

    // Past its expiry (per the stored date): renewed before the first request.
    writeFileSync(path, JSON.stringify({ ...read(path), credentials: { ...saved, token_expiry_date: '2026-01-01T00:00:00Z' } }));
    const read2 = await airbyte(['read', '--config', path, '--catalog', configureFile(airbyteStreams, ['groups'])]);
    expect(read2.code).toBe(0);
    const types = read2.lines.map((m) => m.type);
    expect(types.indexOf('CONTROL')).toBeLessThan(types.indexOf('RECORD'));
    const control = ofType(read2, 'CONTROL')[0]!.control.connectorConfig.config;
    expect(control.credentials.access_token).not.toBe(saved.access_token);
    expect(control.credentials.client_secret).toBe(emu.credentials.oauth.clientSecret);
    expect(emu.oauth.counts.client_credentials).toBe(before + 2);
  });

  it('tokens that die mid-run are renewed ahead, with zero 401s (Singer sync, 3 s tokens, 250 ms per request)', async () => {
    const path = tempFile('cc-short.json', clientCredentials({ concurrency: 1, page_size: 2 }));
    emu.setOption('accessTokenWallTtlSeconds', TTL);
    emu.setOption('latencyMs', 250);
    const before = { ...emu.oauth.counts };
    try {
      const started = Date.now();
      const run = await runTap(['--config', path, '--catalog', listCatalog]);
      const secs = (Date.now() - started) / 1000;
      expect(run.code, run.stderr.slice(-1000)).toBe(0);
      expect(secs).toBeGreaterThan(3 * TTL);
      expect(emu.oauth.counts.client_credentials - before.client_credentials).toBeGreaterThanOrEqual(Math.floor(secs / TTL));
      expect(emu.oauth.counts.invalidToken - before.invalidToken).toBe(0);
    } finally {
      emu.setOption('accessTokenWallTtlSeconds', undefined);
      emu.setOption('latencyMs', 0);
    }
  }, 60_000);

  it('a public client is refused with a message naming the client kind; the grant is sent as JSON', async () => {
    const path = tempFile('cc-public.json', clientCredentials({}, emu.credentials.oauthPublic.clientId));
    const run = await runTap(['--config', path, '--discover']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/client credentials were refused \(unauthorized_client\).*Confidential/);
    expectNoSecrets(run, emu.credentials.oauth.clientSecret);
  });
});

describe('scheme warnings and static tokens', () => {
  it('an API token: one warning with the retirement dates and the README section, in discover and sync', async () => {
    for (const args of [['--discover'], ['--catalog', singerCatalog]]) {
      const run = await runTap(['--config', tempFile('api.json', emulatorConfig(emu)), ...args]);
      expect(run.code).toBe(0);
      const warnings = run.stderr.split('\n').filter((l) => /retiring API tokens/.test(l));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/2026-10-27.*30 days.*2027-04-30.*OAuth setup/);
    }
  });

  it('a password: the same single warning', async () => {
    emu.setOption('passwordAuth', true);
    try {
      const config = emulatorConfig(emu, { credentials: { type: 'password', email: emu.credentials.email, password: emu.credentials.password } });
      const run = await runTap(['--config', tempFile('pw.json', config), '--catalog', singerCatalog]);
      expect(run.code, run.stderr.slice(-500)).toBe(0);
      const warnings = run.stderr.split('\n').filter((l) => /retiring API tokens and password access/.test(l));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/a password.*2027-04-30.*OAuth setup/);
      expect(run.stderr).not.toContain(emu.credentials.password);
    } finally {
      emu.setOption('passwordAuth', false);
    }
  });

  it('OAuth schemes get no retirement warning', async () => {
    const run = await runTap(['--config', tempFile('cc-warn.json', clientCredentials()), '--discover']);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/retiring/);
  });

  it('oauth2.0 with a stored expiry in the past stops before any request, naming the renewable schemes', async () => {
    const requests = emu.stats().requests;
    const path = tempFile('static.json', emulatorConfig(emu, { credentials: { type: 'oauth2.0', access_token: emu.credentials.accessToken, token_expiry_date: '2026-01-01T00:00:00Z' } }));
    const run = await runTap(['--config', path, '--catalog', singerCatalog]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/expired at 2026-01-01T00:00:00Z.*oauth2_client_credentials/);
    expect(emu.stats().requests).toBe(requests);
  });
});

describe('secrets', () => {
  it('--debug runs of every OAuth scheme print no client secret, refresh token or access token (old or new)', async () => {
    const { path, refreshToken } = await freshRefreshConfig();
    const cc = tempFile('cc-debug.json', clientCredentials());
    const runs = [
      await runTap(['--config', path, '--discover', '--debug']),
      await runTap(['--config', path, '--catalog', singerCatalog, '--debug'], { env: { TAP_ZENDESK_CRASH_AT: '' } }),
      await runTap(['--config', cc, '--catalog', singerCatalog, '--debug']),
      await airbyte(['read', '--config', cc, '--catalog', configureFile(airbyteStreams, ['groups']), '--debug']),
    ];
    const secrets = [refreshToken, read(path).credentials.refresh_token, read(path).credentials.access_token, read(cc).credentials.access_token, emu.credentials.oauth.clientSecret];
    for (const run of runs) {
      expect(run.code, run.stderr.slice(-500)).toBe(0);
      for (const secret of secrets) {
        expect(run.stderr).not.toContain(secret);
        // Airbyte's CONTROL message is the one place a secret belongs.
        const stdout = run.stdout.split('\n').filter((l) => !l.includes('"CONTROL"')).join('\n');
        expect(stdout).not.toContain(secret);
      }
    }
  }, 60_000);
});

describe('Singer token store (unit)', () => {
  const config = (type: string, path: string) => ({ path, credentials: { type }, raw: {} }) as unknown as TapConfig;
  const nowhere = join(tmpdir(), 'no-such-dir-tap-zendesk', 'config.json');

  it('a rotating refresh token needs a writable config: refused before any request', () => {
    expect(() => singerTokenStore(config('oauth2_refresh', nowhere))).toThrow(/must be writable.*saves the new one there before using it/);
  });

  it('client credentials can do without: no persistence, no error', () => {
    expect(singerTokenStore(config('oauth2_client_credentials', nowhere))).toEqual({});
  });
});
