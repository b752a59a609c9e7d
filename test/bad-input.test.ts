/**
 * Bad input gets one readable line on stderr, a non-zero exit and no stack
 * trace; secrets never appear in any output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, runTap, tempFile, type TapRun } from './helpers/tap.js';
import { canonicalDate } from '../src/config/dates.js';
import { parseConfig } from '../src/config/load.js';
import { closest, editDistance, unknownKeyWarnings } from '../src/config/unknown-keys.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false });
});
afterAll(async () => {
  await emu?.close();
});

const SECRET = 'sup3r-s3cret-t0ken-value';

function expectCleanFailure(run: TapRun, pattern: RegExp): void {
  expect(run.code).not.toBe(0);
  const lines = run.stderr.trim().split('\n').filter((l) => l.startsWith('tap-zendesk:'));
  expect(lines.length, run.stderr).toBeGreaterThanOrEqual(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr + run.stdout).not.toContain(SECRET);
}

describe('bad config', () => {
  const base = () => emulatorConfig(emu, { credentials: { type: 'api_token', email: 'admin@acme.test', api_token: SECRET } });
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['not JSON', () => '{"subdomain": ', /not valid JSON/],
    ['an array', () => [1, 2], /must be a JSON object/],
    ['no subdomain', () => ({ ...base(), subdomain: undefined }), /"subdomain" is required/],
    ['a subdomain with spaces', () => ({ ...base(), subdomain: 'acme corp' }), /subdomain.*acme/],
    ['no credentials', () => ({ subdomain: 'acme', base_url: emu.url }), /no credentials/],
    ['an api_token credential without token', () => ({ ...base(), credentials: { type: 'api_token', email: 'a@b.c' } }), /need "api_token"/],
    ['an unknown credentials type', () => ({ ...base(), credentials: { type: 'magic', token: SECRET } }), /credentials.type must be one of/],
    ['a bad start_date', () => ({ ...base(), start_date: '01/02/2024' }), /start_date/],
    ['end_date before start_date', () => ({ ...base(), start_date: '2024-01-01T00:00:00Z', end_date: '2023-01-01T00:00:00Z' }), /end_date/],
    ['a page_size of 5000', () => ({ ...base(), page_size: 5000 }), /page_size/],
    ['plain http to a remote host', () => ({ ...base(), base_url: 'http://example.com' }), /https/],
  ];
  it.each(cases)('%s', async (_label, make, pattern) => {
    const content = make();
    const path = tempFile('config.json', content);
    const run = await runTap(['--config', path]);
    expectCleanFailure(run, pattern);
  });

  it('a missing config file', async () => {
    expectCleanFailure(await runTap(['--config', '/nonexistent/config.json']), /cannot read the config file/);
  });

  it('no --config at all', async () => {
    expectCleanFailure(await runTap([]), /--config/);
  });

  it('an unknown flag', async () => {
    expectCleanFailure(await runTap(['--confg', 'x.json']), /Unknown argument/);
  });
});

describe('config that forgives', () => {
  // Discovery without probes: parses the config and answers without reading streams.
  const discover = (extra: Record<string, unknown>) =>
    runTap(['--config', tempFile('config.json', emulatorConfig(emu, { discover_probe: false, ...extra })), '--discover']);

  it.each([
    ['a date', '2024-01-01'],
    ['an offset', '2024-01-01T02:00:00+02:00'],
    ['a compact offset', '2024-01-01T02:00:00+0200'],
    ['fractional seconds', '2024-01-01T00:00:00.123456Z'],
    ['fractions and an offset (Meltano date_iso8601)', '2023-12-31T19:00:00.5-05:00'],
    ['a space and lower-case z', '2024-01-01 00:00:00z'],
  ])('start_date as %s', async (_label, start_date) => {
    const run = await discover({ start_date, end_date: '2024-06-30' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/start_date|end_date/);
  });

  it('offsets are turned into UTC before dates are compared', async () => {
    // 02:00 at +02:00 is midnight UTC: not before an end_date of that midnight.
    const same = await discover({ start_date: '2024-01-01T02:00:00+02:00', end_date: '2024-01-01' });
    expectCleanFailure(same, /"end_date" must be later than "start_date"/);
    const earlier = await discover({ start_date: '2024-01-01T01:59:59+02:00', end_date: '2024-01-01' });
    expect(earlier.code, earlier.stderr).toBe(0);
  });

  it.each([['ACME'], ['Acme'], ['https://ACME.zendesk.com/']])('subdomain %s is the account "acme"', async (subdomain) => {
    const run = await discover({ subdomain });
    expect(run.code, run.stderr).toBe(0);
    expect(parseConfig({ subdomain, credentials: { type: 'oauth2.0', access_token: 'x'.repeat(8) } }).baseUrl).toBe('https://acme.zendesk.com');
  });

  it('canonical dates: UTC, whole seconds; impossible dates are left for validation to name', () => {
    expect(canonicalDate('2024-01-01')).toBe('2024-01-01T00:00:00Z');
    expect(canonicalDate('2024-03-01T01:30:00+02:30')).toBe('2024-02-29T23:00:00Z');
    expect(canonicalDate('2024-01-01T00:00:00.999Z')).toBe('2024-01-01T00:00:00Z');
    expect(canonicalDate('2024-01-01T00:00')).toBe('2024-01-01T00:00:00Z');
    for (const bad of ['2023-02-29', '2024-13-01', '2024-01-01T24:00:00Z', '01/02/2024', 'yesterday', '2024-01-01T00:00:00+25:00']) {
      expect(canonicalDate(bad), bad).toBeUndefined();
    }
  });

  it('an unknown key gets a warning naming it and the closest setting; the run goes on', async () => {
    const run = await discover({ start_dat: '2024-01-01', concurency: 2, credentials: { ...emulatorConfig(emu).credentials as object, api_toke: 'x' }, frobnicate: true });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/WARN .*unknown setting "start_dat" is ignored; did you mean "start_date"\?/);
    expect(run.stderr).toMatch(/unknown setting "concurency" is ignored; did you mean "concurrency"\?/);
    expect(run.stderr).toMatch(/unknown setting "credentials.api_toke" is ignored; did you mean "credentials.api_token"\?/);
    expect(run.stderr).toMatch(/unknown setting "frobnicate" is ignored \(tap-zendesk --about lists the settings\)/);
    // Settings the tap maps (singer-io's flat keys, Airbyte's discriminators) are not unknown.
    const legacy = await runTap(['--config', tempFile('config.json', { subdomain: 'acme', base_url: emu.url, discover_probe: false, email: emu.credentials.email, api_token: emu.credentials.apiToken }), '--discover']);
    expect(legacy.code, legacy.stderr).toBe(0);
    expect(legacy.stderr).not.toMatch(/unknown setting/);
  });

  it('the flat singer-io OAuth layout, with the expiry the tap writes back beside it, is all known', () => {
    const flat = { subdomain: 'acme', refresh_token: 'r'.repeat(8), client_id: 'c'.repeat(8), client_secret: 's'.repeat(8), access_token: 'a'.repeat(8), token_expiry_date: '2030-01-01T00:00:00Z' };
    expect(unknownKeyWarnings(flat)).toEqual([]);
    expect(parseConfig(flat).credentials).toMatchObject({ type: 'oauth2_refresh', token_expiry_date: '2030-01-01T00:00:00Z' });
  });

  it('edit distance: typos and transpositions are near, other words are not', () => {
    expect(editDistance('start_dat', 'start_date')).toBe(1);
    expect(editDistance('subdomian', 'subdomain')).toBe(1);
    expect(closest('subdomian', ['subdomain', 'start_date'])).toBe('subdomain');
    expect(closest('pagesize', ['page_size', 'max_rpm'])).toBe('page_size');
    expect(closest('frobnicate', ['subdomain', 'start_date', 'page_size'])).toBeUndefined();
  });

  it('a config with several problems lists them all, one readable line each, exit 2', async () => {
    const run = await runTap(['--config', tempFile('config.json', {
      subdomain: 'acme corp',
      start_date: 'last tuesday',
      page_size: 5000,
      credentials: { type: 'api_token', email: 'a@b.c', password: SECRET },
      base_url: 'http://example.com',
    })]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n').filter((l) => l.startsWith('tap-zendesk:'));
    expect(lines.every((l) => l.startsWith('tap-zendesk: error: config: ')), run.stderr).toBe(true);
    for (const needle of [/"subdomain" is not valid \(got "acme corp"\)/, /"start_date" is not valid \(got "last tuesday"\)/, /"page_size" must be <= 100/, /credentials of type "api_token" need "api_token"/, /"base_url" must use https/]) {
      expect(lines.filter((l) => needle.test(l)), `${needle} in:\n${run.stderr}`).toHaveLength(1);
    }
    expect(lines).toHaveLength(5);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr + run.stdout).not.toContain(SECRET);
  });

  it('Airbyte check reports every problem in its one CONNECTION_STATUS', async () => {
    const run = await runTap(['check', '--config', tempFile('config.json', { subdomain: 'acme', page_size: 0, start_date: 'soon', credentials: { type: 'api_token' } })]);
    const status = run.messages.find((m) => m.type === 'CONNECTION_STATUS');
    expect(status?.connectionStatus.status).toBe('FAILED');
    const problems = String(status?.connectionStatus.message).split('\n');
    expect(problems).toHaveLength(4); // email, api_token, page_size, start_date
    for (const p of problems) expect(p).toMatch(/^config: /);
  });
});

describe('wrong credentials and permissions', () => {
  it('a wrong API token: clear 401 error, no secret', async () => {
    const path = tempFile('config.json', emulatorConfig(emu, { credentials: { type: 'api_token', email: 'admin@acme.test', api_token: SECRET } }));
    const run = await runTap(['--config', path]);
    expectCleanFailure(run, /rejected the credentials \((HTTP )?401/);
    expect(run.stderr).toMatch(/api_token/);
  });

  it('a wrong OAuth access token', async () => {
    const path = tempFile('config.json', emulatorConfig(emu, { credentials: { type: 'oauth2.0', access_token: SECRET } }));
    expectCleanFailure(await runTap(['--config', path]), /401.*(expired|revoked|token)/);
  });

  it('password auth while Zendesk has it disabled', async () => {
    const path = tempFile('config.json', emulatorConfig(emu, { credentials: { type: 'password', email: 'admin@acme.test', password: SECRET } }));
    expectCleanFailure(await runTap(['--config', path]), /password access/);
  });

  it('singer-io flat keys (email + api_token) work unchanged', async () => {
    const path = tempFile('config.json', { subdomain: 'acme', base_url: emu.url, start_date: '2000-01-01T00:00:00Z', email: emu.credentials.email, api_token: emu.credentials.apiToken });
    const discovered = await runTap(['--config', path, '--discover']);
    const { selectStreams } = await import('./helpers/tap.js');
    const cat = tempFile('catalog.json', selectStreams(JSON.parse(discovered.stdout), ['groups']));
    const run = await runTap(['--config', path, '--catalog', cat]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.messages.filter((m) => m.type === 'RECORD').length).toBeGreaterThan(0);
    expect(run.stdout + run.stderr).not.toContain(emu.credentials.apiToken);
  });
});

describe('bad state and catalog files', () => {
  const config = () => tempFile('config.json', emulatorConfig(emu));
  it.each([
    ['not JSON', '{"bookmarks": ', /state file .* not valid JSON/],
    ['an array', '[1]', /must be a JSON object/],
    ['a bookmark that is a string', '{"bookmarks": {"tickets": "yesterday"}}', /bookmark of "tickets" must be an object/],
    ['a future version', '{"version": 99, "bookmarks": {}}', /newer than this tap/],
    ['an unreadable bookmark value', '{"bookmarks": {"tickets": {"generated_timestamp": "last tuesday"}}}', /bookmark of "tickets" .* is not a timestamp/],
  ])('state: %s', async (_l, content, pattern) => {
    expectCleanFailure(await runTap(['--config', config(), '--state', tempFile('state.json', content)]), pattern);
  });

  it.each([
    ['not JSON', '{"streams": [', /catalog file .* not valid JSON/],
    ['without streams', '{"foo": 1}', /"streams" array/],
    ['with an unknown stream', '{"streams": [{"tap_stream_id": "tickettts", "schema": {}, "metadata": []}]}', /"tickettts" is not a tap-zendesk stream/],
  ])('catalog: %s', async (_l, content, pattern) => {
    expectCleanFailure(await runTap(['--config', config(), '--catalog', tempFile('catalog.json', content)]), pattern);
  });
});
