/** OAuth with rotating refresh tokens: refresh, write-back, and the 401-refresh-once rule. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, recordsOf, runTap, selectStreams, tempFile } from './helpers/tap.js';

let emu: Emulator;
let catalog: string;

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false, accessTokenTtlSeconds: 3600 });
  const discovered = await runTap(['--config', tempFile('c.json', emulatorConfig(emu)), '--discover']);
  catalog = tempFile('cat.json', selectStreams(JSON.parse(discovered.stdout), ['groups', 'tickets']));
});
afterAll(async () => {
  await emu?.close();
});

function oauthConfig() {
  const o = emu.credentials.oauth;
  return emulatorConfig(emu, { credentials: { type: 'oauth2_refresh', client_id: o.clientId, client_secret: o.clientSecret, refresh_token: o.refreshToken } });
}

let rotatedPath: string;

describe('OAuth refresh tokens', () => {
  it('refreshes, writes the rotated token back to the config file, and the next run uses it', async () => {
    const path = tempFile('oauth.json', oauthConfig());
    rotatedPath = path;
    const first = await runTap(['--config', path, '--catalog', catalog]);
    expect(first.code, first.stderr).toBe(0);
    expect(recordsOf(first.messages, 'groups').length).toBeGreaterThan(0);
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.credentials.refresh_token).not.toBe(emu.credentials.oauth.refreshToken);
    expect(saved.credentials.access_token).toBeTypeOf('string');
    expect(first.stdout + first.stderr).not.toContain(saved.credentials.refresh_token);
    expect(first.stdout + first.stderr).not.toContain(saved.credentials.access_token);

    // The stored access token is still valid: no refresh needed.
    const refreshes = emu.stats().oauthRefreshes;
    const second = await runTap(['--config', path, '--catalog', catalog]);
    expect(second.code, second.stderr).toBe(0);
    expect(emu.stats().oauthRefreshes).toBe(refreshes);
  });

  it('an access token that expires mid-run is refreshed once on 401', async () => {
    const saved = JSON.parse(readFileSync(rotatedPath, 'utf8'));
    // Pretend the token's expiry is unknown and let it lapse on the server.
    delete saved.credentials.token_expiry_date;
    const stale = tempFile('oauth-stale.json', saved);
    // The tap asks for 48-hour tokens (expires_in=172800), as Airbyte does.
    emu.clock.advance(3 * 86_400);
    const run = await runTap(['--config', stale, '--catalog', catalog]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(stale, 'utf8')).credentials.refresh_token).not.toBe(saved.credentials.refresh_token);
  });

  it('a used (rotated-away) refresh token is a clear config error', async () => {
    // The original refresh token was deleted by the first test's rotation.
    const run = await runTap(['--config', tempFile('old.json', oauthConfig()), '--catalog', catalog]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/OAuth refresh was refused \(invalid_grant\)/);
    expect(run.stderr).not.toContain(emu.credentials.oauth.clientSecret);
  });
});
