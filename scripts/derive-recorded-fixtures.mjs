#!/usr/bin/env node
/**
 * Copies the recorded real Zendesk responses that test/replay.test.ts replays
 * into test/fixtures/recorded/ (run once; the copies are committed, so the test
 * runs in a clone with nothing beside it):
 *
 *   node scripts/derive-recorded-fixtures.mjs [--from DIR]
 *
 * Source (DIR: --from or ZENDESK_FIXTURES_DIR; the shared node-zendesk-nock-decoded folder):
 * blakmatrix/node-zendesk test/fixtures/*.json, MIT licence (see
 * test/fixtures/recorded/README.md), nock recordings of real Zendesk API calls
 * made in 2023-09/10, bodies decoded to JSON. Only GET interactions that answered
 * 200 with records are kept, with method, path, status, the request id header
 * and the body, unchanged; cookies and other headers are left out.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceDir } from './source-dir.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FROM = sourceDir('--from', 'ZENDESK_FIXTURES_DIR', 'derive-recorded-fixtures');
const OUT = join(ROOT, 'test/fixtures/recorded');
/** Recordings whose bodies carry records of streams the tap reads. */
const FILES = ['organizations_test_list_all.json', 'pagination_test_execute.json', 'organizations_test_show_single.json'];

mkdirSync(OUT, { recursive: true });
for (const f of FILES) {
  const doc = JSON.parse(readFileSync(join(FROM, f), 'utf8'));
  const interactions = doc.interactions
    .filter((x) => x.method === 'GET' && x.status === 200 && x.body && typeof x.body === 'object')
    .map((x) => ({ method: x.method, path: x.path, status: x.status, request_id: x.headers?.['x-request-id'] ?? null, body: x.body }));
  writeFileSync(join(OUT, f), `${JSON.stringify({ source: doc.source, license: doc.license, interactions }, null, 1)}\n`);
  console.log(`${f}: ${interactions.length} responses`);
}
