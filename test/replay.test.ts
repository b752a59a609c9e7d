/**
 * Replays real and documented Zendesk responses through the real CLI and
 * validates every emitted record against its stream's published schema
 * (issue 9 §5):
 *  - the OAS's own response examples: every record of a response example of an
 *    operation returning a stream's object (test/fixtures/oas-documented-properties.json,
 *    derived by scripts/derive-oas-coverage.mjs);
 *  - recorded real responses (test/fixtures/recorded/, node-zendesk's nock
 *    recordings of real API calls; provenance and licence in its README).
 *
 * A tiny HTTP server answers at each endpoint the tap's streams read, with the
 * records in that endpoint's documented envelope (export, cursor list, offset
 * list, single object) and its end marker, so each stream reads one page.
 * Beside schema validity: no record field may be undeclared (no drift warning),
 * so a field Zendesk documents or sends that the schema lacks fails here.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draft7 } from './helpers/airbyte.js';
import { runTap, selectStreams, tempFile, type Message, type TapRun } from './helpers/tap.js';
import { ALL_STREAMS } from '../src/streams/registry.js';
import type { StreamDescriptor } from '../src/streams/descriptor.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
type Rec = Record<string, unknown>;

interface Documented {
  streams: Record<string, { responseExamples: Array<{ operation: string; records: Rec[] }> }>;
}

/**
 * Streams not replayed, and why: their records come from another stream's
 * pages or from per-parent requests, which one canned page per endpoint does
 * not model. Everything else with examples is replayed.
 */
const NOT_REPLAYED: Record<string, string> = {
  ticket_metrics: 'derived from the metric_set side-load of the ticket export',
  user_identities: 'derived from the identities side-load of the user export',
  ticket_comments: 'derived from Comment child events of the ticket event export',
  ticket_audits: 'rebuilt from the ticket event export',
  custom_object_records: 'one export per custom object (per-parent requests)',
};

const descriptor = (name: string): StreamDescriptor => ALL_STREAMS.find((d) => d.name === name)!;

/** Epoch seconds of a replication-key value (ISO or epoch). */
function epoch(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
  }
  return undefined;
}

/** The body of one page holding all `records`, in the envelope of the stream's paging contract, with its end marker. */
function body(d: StreamDescriptor, records: Rec[], startTime: number): Rec {
  const key = d.recordsKey;
  switch (d.paginator) {
    case 'cursor_export':
      return { [key]: records, after_cursor: null, after_url: null, before_cursor: null, before_url: null, end_of_stream: true };
    case 'time_export': {
      const times = records.map((r) => epoch(r[d.replicationKey!])).filter((t): t is number => t !== undefined);
      return { [key]: records, count: records.length, end_time: Math.max(startTime, ...times), next_page: null, end_of_stream: true };
    }
    case 'cursor_list':
    case 'desc_feed':
      return { [key]: records, meta: { has_more: false, after_cursor: null, before_cursor: null }, links: { next: null, prev: null } };
    case 'offset_list':
      return { [key]: records, next_page: null, previous_page: null, count: records.length };
    case 'single':
      return { [key]: records[0] };
    default:
      throw new Error(`replay: no envelope for ${d.paginator}`);
  }
}

/** Exports document ascending order of their cursor field: examples are served in that order. */
function ordered(d: StreamDescriptor, records: Rec[]): Rec[] {
  if (!['cursor_export', 'time_export'].includes(d.paginator) || !d.replicationKey) return records;
  return [...records].sort((a, b) => (epoch(a[d.replicationKey!]) ?? 0) - (epoch(b[d.replicationKey!]) ?? 0));
}

interface Replay {
  server: Server;
  url: string;
  unknown: string[];
}

async function serve(byStream: Map<string, Rec[]>): Promise<Replay> {
  const routes = new Map<string, StreamDescriptor>();
  for (const name of byStream.keys()) routes.set(descriptor(name).path, descriptor(name));
  const counts = new Map<string, string>();
  for (const d of routes.values()) if (d.countPath) counts.set(d.countPath, d.name);
  const unknown: string[] = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://replay');
    const path = u.pathname.replace(/\.json$/, '');
    const d = routes.get(path);
    const send = (status: number, b: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': `replay-${Math.random().toString(36).slice(2, 10)}` });
      res.end(JSON.stringify(b));
    };
    if (d) return send(200, body(d, ordered(d, byStream.get(d.name)!), Number(u.searchParams.get('start_time') ?? 0)));
    const counted = counts.get(path);
    if (counted) return send(200, { count: { value: byStream.get(counted)!.length, refreshed_at: new Date().toISOString() } });
    unknown.push(`${req.method} ${u.pathname}${u.search}`);
    return send(404, { error: 'InvalidEndpoint', description: 'Not found' });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as { port: number }).port;
  return { server, url: `http://127.0.0.1:${port}`, unknown };
}

async function sync(byStream: Map<string, Rec[]>): Promise<{ run: TapRun; replay: Replay }> {
  const replay = await serve(byStream);
  const config = tempFile('replay-config.json', {
    subdomain: 'replay',
    start_date: '2000-01-01T00:00:00Z',
    base_url: replay.url,
    credentials: { type: 'api_token', email: 'replay@example.com', api_token: 'replay-token' },
  });
  const discovered = await runTap(['--config', config, '--discover']);
  replay.unknown.length = 0; // discovery probes every product; only the sync's requests count
  const catalog = tempFile('replay-catalog.json', selectStreams(JSON.parse(discovered.stdout) as Message, [...byStream.keys()]));
  const run = await runTap(['--config', config, '--catalog', catalog], { timeoutMs: 120_000 });
  return { run, replay };
}

/** Every RECORD checked against schemas/streams/<stream>.json (the published schema, not a SCHEMA message drift may have extended). */
function check(run: TapRun): { records: Map<string, number>; invalid: string[] } {
  const ajv = draft7();
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const records = new Map<string, number>();
  const invalid: string[] = [];
  for (const m of run.messages) {
    if (m.type !== 'RECORD') continue;
    let v = validators.get(m.stream);
    if (!v) {
      v = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/streams', `${m.stream}.json`), 'utf8')));
      validators.set(m.stream, v);
    }
    records.set(m.stream, (records.get(m.stream) ?? 0) + 1);
    if (!v(m.record)) invalid.push(`${m.stream} ${JSON.stringify(m.record.id)}: ${ajv.errorsText(v.errors)}`);
  }
  return { records, invalid };
}

const drift = (stderr: string): string[] => stderr.split('\n').filter((l) => l.includes('is not in the stream\'s schema'));

// ------------------------------------------------------------------ OAS examples

const documented = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/oas-documented-properties.json'), 'utf8')) as Documented;
const examples = new Map<string, Rec[]>();
/** Example records without their primary key: abbreviated examples no list the tap reads could answer. */
const keyless: string[] = [];
for (const [name, s] of Object.entries(documented.streams)) {
  if (NOT_REPLAYED[name]) continue;
  // A reshaped stream gets its key from the tap (account_settings: settings_scope).
  const pk = descriptor(name).reshape ? [] : descriptor(name).primaryKey;
  const records: Rec[] = [];
  for (const e of s.responseExamples) {
    for (const r of e.records) {
      if (pk.every((k) => r[k] !== undefined)) records.push(r);
      else keyless.push(`${name}: ${e.operation}`);
    }
  }
  if (records.length) examples.set(name, records);
}

// ------------------------------------------------------------------ recorded real responses

const recorded = new Map<string, Rec[]>();
const recordedPages: string[] = [];
for (const f of readdirSync(join(ROOT, 'test/fixtures/recorded')).filter((x) => x.endsWith('.json')).sort()) {
  const doc = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/recorded', f), 'utf8')) as { interactions: Array<{ path: string; body: Rec }> };
  for (const i of doc.interactions) {
    recordedPages.push(`${f}: GET ${i.path}`);
    // /api/v2/organizations (list, show): organization records; the tap reads them from the organization export.
    const orgs = (i.body.organizations as Rec[] | undefined) ?? (i.body.organization ? [i.body.organization as Rec] : []);
    if (orgs.length) recorded.set('organizations', [...(recorded.get('organizations') ?? []), ...orgs]);
  }
}

let oas: { run: TapRun; replay: Replay };
let real: { run: TapRun; replay: Replay };

beforeAll(async () => {
  [oas, real] = await Promise.all([sync(examples), sync(recorded)]);
}, 180_000);

afterAll(() => {
  oas?.replay.server.close();
  real?.replay.server.close();
});

describe('replay of the OAS response examples', () => {
  it('the sync succeeds and asks for nothing but the replayed endpoints', () => {
    expect(oas.run.code, oas.run.stderr.slice(-3000)).toBe(0);
    expect(oas.replay.unknown).toEqual([]);
  });

  it('every example record is emitted, and every emitted record is valid against its published schema', () => {
    const { records, invalid } = check(oas.run);
    // A single-object endpoint answers one record: its first example.
    const expected = new Map([...examples].map(([n, rs]) => [n, descriptor(n).paginator === 'single' ? 1 : rs.length]));
    expect(Object.fromEntries(records)).toEqual(Object.fromEntries(expected));
    expect(invalid).toEqual([]);
    const total = [...records.values()].reduce((a, b) => a + b, 0);
    console.log(`replay (OAS examples): ${total} records of ${records.size} streams validated; not replayed: ${Object.keys(NOT_REPLAYED).join(', ')}`);
  });

  it('only the known abbreviated examples (no id: create/update request echoes) are left out', () => {
    expect(keyless).toEqual(['targets: POST /api/v2/targets', 'targets: PUT /api/v2/targets/{target_id}']);
  });

  it('no example record carries a field its schema does not declare', () => {
    expect(drift(oas.run.stderr)).toEqual([]);
  });

  it('the example records of streams not replayed through the CLI are valid against their schemas too', () => {
    const ajv = draft7();
    const invalid: string[] = [];
    let n = 0;
    for (const name of Object.keys(NOT_REPLAYED)) {
      const v = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/streams', `${name}.json`), 'utf8')));
      for (const e of documented.streams[name]?.responseExamples ?? []) {
        for (const r of e.records) {
          n++;
          if (!v(r)) invalid.push(`${name} (${e.operation}): ${ajv.errorsText(v.errors)}`);
        }
      }
    }
    expect(invalid).toEqual([]);
    expect(n).toBeGreaterThan(0);
  });
});

describe('replay of recorded real responses', () => {
  it('every recorded organization is emitted and valid, with no undeclared field', () => {
    expect(real.run.code, real.run.stderr.slice(-3000)).toBe(0);
    expect(real.replay.unknown).toEqual([]);
    const { records, invalid } = check(real.run);
    expect(records.get('organizations')).toBe(recorded.get('organizations')!.length);
    expect(invalid).toEqual([]);
    expect(drift(real.run.stderr)).toEqual([]);
    console.log(`replay (recorded): ${records.get('organizations')} organization records from ${recordedPages.length} recorded responses validated`);
  });
});
