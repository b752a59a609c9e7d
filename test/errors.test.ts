/**
 * Errors that say what happened: an HTTP error names the status, Zendesk's
 * own error/description and the x-request-id, with the stream named once;
 * an unresolvable host is a configuration error (exit 2) in discovery and
 * sync; refused or reset connections are retried over at least a minute
 * (proved on a scaled clock); secrets never appear.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, backoffSchedule, MAX_RETRIES } from '../src/http/retry-schedule.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, runTap, selectStreams, tempFile, type Message } from './helpers/tap.js';

/** Test-only: every backoff a hundredth as long (a minute of retries in 0.6-1.5 s). */
const SCALE = 0.01;
const FAST = { TAP_ZENDESK_BACKOFF_SCALE: String(SCALE) };

let emu: Emulator;
let catalog: Message;

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false });
  const discovered = await runTap(['--config', tempFile('config.json', emulatorConfig(emu)), '--discover']);
  expect(discovered.code, discovered.stderr.slice(-2000)).toBe(0);
  catalog = JSON.parse(discovered.stdout);
}, 60_000);

afterAll(async () => {
  await emu?.close();
});

const sync = (streams: string[], opts: { state?: unknown; config?: Record<string, unknown>; env?: Record<string, string> } = {}) =>
  runTap(
    [
      '--config',
      tempFile('config.json', emulatorConfig(emu, opts.config)),
      '--catalog',
      tempFile('catalog.json', selectStreams(catalog, streams)),
      ...(opts.state ? ['--state', tempFile('state.json', opts.state)] : []),
    ],
    { env: { ...FAST, ...opts.env } },
  );

const errorLines = (stderr: string) => stderr.split('\n').filter((l) => / ERROR /.test(l));

describe('the retry schedule', () => {
  it('spreads ten retries over at least a minute, first ones quick, with jitter', () => {
    const shortest = backoffSchedule(MAX_RETRIES, () => 0);
    const longest = backoffSchedule(MAX_RETRIES, () => 0.999999);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(shortest)).toBeGreaterThanOrEqual(60_000);
    expect(sum(longest)).toBeLessThanOrEqual(160_000);
    expect(shortest[0]).toBeLessThanOrEqual(500);
    for (let i = 1; i < shortest.length; i++) expect(shortest[i]).toBeGreaterThanOrEqual(shortest[i - 1]!);
    // Jitter: two retries at the same step need not wait the same.
    expect(backoffMs(5, () => 0)).toBeLessThan(backoffMs(5, () => 0.9));
  });
});

describe('HTTP errors name the status, Zendesk\'s words and the request id, the stream once', () => {
  it('a 400 with Zendesk\'s body (a refused export cursor without a timestamp to fall back on)', async () => {
    const run = await sync(['tickets'], { state: { bookmarks: { tickets: { cursor: 'not-a-cursor' } } } });
    expect(run.code).toBe(1);
    // The stream's error, then the run's summary naming the failed stream: each names it once.
    const [line, summary, ...more] = errorLines(run.stderr).filter((l) => /HTTP 400/.test(l));
    expect(more.length).toBe(0);
    expect(summary!.match(/tickets/g)).toHaveLength(2); // the stream and the path
    expect(line).toMatch(/ERROR tickets: GET \/api\/v2\/incremental\/tickets\/cursor: HTTP 400 \(InvalidValue - cursor is invalid\), x-request-id [0-9a-f]+-EMU$/);
    expect(line!.match(/tickets:/g)).toHaveLength(1);
  });

  it('a 5xx after every retry: the status, body and request id, and how many retries', async () => {
    emu.failNext('500', MAX_RETRIES + 1, '/api/v2/groups');
    const run = await sync(['groups']);
    expect(run.code).toBe(1);
    const line = errorLines(run.stderr).find((l) => /HTTP 500/.test(l));
    expect(line, run.stderr.slice(-2000)).toMatch(/ERROR groups: GET \/api\/v2\/groups: HTTP 500 \(.+\), x-request-id [0-9a-f]+-EMU after 10 retries\./);
    expect(line!.match(/groups/g)!.length).toBe(2); // the stream and the path, nothing else
  });

  it('a secret echoed in an error body never reaches the output', async () => {
    const token = emu.credentials.apiToken;
    const server = createHttpServer((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'abc123' });
      res.end(JSON.stringify({ error: 'BadRequest', description: `bad token ${token} in ${req.headers.authorization}` }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = await sync(['tickets'], { config: { base_url: url } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/HTTP 400 \(BadRequest - bad token \*\*\*/);
      expect(run.stderr).toMatch(/x-request-id abc123/);
      expect(run.stdout + run.stderr).not.toContain(token);
      expect(run.stdout + run.stderr).not.toContain(Buffer.from(`${emu.credentials.email}/token:${token}`).toString('base64'));
    } finally {
      server.close();
    }
  });
});

describe('an unresolvable host is a configuration error', () => {
  const bad = { subdomain: 'no-such-account', base_url: 'https://no-such-account.invalid' };
  it('in discovery: exit 2, one line saying to check the subdomain', async () => {
    const run = await runTap(['--config', tempFile('config.json', emulatorConfig(emu, bad)), '--discover'], { env: FAST });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tap-zendesk: error: cannot resolve no-such-account\.invalid \((ENOTFOUND|EAI_AGAIN), \d+ retr(y|ies) over \d+s\): check "subdomain"/);
    expect(run.stdout).toBe('');
  });

  it('in a sync: exit 2, the same message', async () => {
    const run = await sync(['tickets', 'groups'], { config: bad });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tap-zendesk: error: cannot resolve no-such-account\.invalid .*check "subdomain"/);
  });
});

describe('refused or reset connections are retried over at least a minute', () => {
  let server: Server;
  let connections = 0;
  let url: string;
  beforeAll(async () => {
    // Accepts, then resets every connection: a proxy or load balancer dropping them.
    server = createServer((socket) => {
      connections++;
      socket.resetAndDestroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('reset: 1 + 10 attempts over at least a (scaled) minute, then one clear error', async () => {
    connections = 0;
    const started = Date.now();
    const run = await sync(['groups'], { config: { base_url: url } });
    const elapsed = Date.now() - started;
    expect(run.code).toBe(1);
    expect(connections).toBe(MAX_RETRIES + 1);
    expect(elapsed).toBeGreaterThanOrEqual(60_000 * SCALE);
    expect(run.stderr).toMatch(/ERROR groups: GET \/api\/v2\/groups failed \((ECONNRESET|socket hang up), 10 retries over \d+s\)/);
  });

  it('refused: retried on the same schedule, then a message naming base_url', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const started = Date.now();
    const run = await sync(['groups'], { config: { base_url: `http://127.0.0.1:${port}` } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(60_000 * SCALE);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused the connection \(ECONNREFUSED, 10 retries over \d+s\): check "base_url"/);
    expect((run.stderr.match(/ECONNREFUSED; retry \d+\/10/g) ?? []).length).toBe(10);
  });
});
