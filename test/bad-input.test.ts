/**
 * Bad input gets one readable line on stderr, a non-zero exit and no stack
 * trace; secrets never appear in any output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, runTap, tempFile, type TapRun } from './helpers/tap.js';

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

describe('wrong credentials and permissions', () => {
  it('a wrong API token: clear 401 error, no secret', async () => {
    const path = tempFile('config.json', emulatorConfig(emu, { credentials: { type: 'api_token', email: 'admin@acme.test', api_token: SECRET } }));
    const run = await runTap(['--config', path]);
    expectCleanFailure(run, /rejected the credentials \(401/);
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
