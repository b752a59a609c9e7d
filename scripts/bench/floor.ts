/**
 * The throughput floor: fetch the same pages the tap fetched (same server, same
 * URLs, same bytes) and do nothing but `JSON.parse(body)` and
 * `JSON.stringify(record)` for each record, written to stdout (the bench
 * counts and discards it exactly as it does the tap's output).
 *
 * `node dist/scripts/bench/floor.js <urls.json> [--prefetch]` where urls.json
 * is `{ base, authorization, urls: string[] }`. Keep-alive. By default a page
 * is processed and written before the next is requested, the tap's own rule
 * ("nothing held ahead"); `--prefetch` asks for the next page while one is
 * processed (the fastest a client can be, holding two pages).
 */
import http from 'node:http';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

interface FloorInput {
  base: string;
  authorization: string;
  urls: string[];
}

const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as FloorInput;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const base = new URL(input.base);

function fetchText(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: base.hostname, port: base.port, path, agent, headers: { authorization: input.authorization, accept: 'application/json' } },
      (res) => {
        // Chunks kept as bytes and decoded once (what axios does too), not concatenated as strings.
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`floor: HTTP ${res.statusCode} for ${path}`))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

const prefetch = process.argv.includes('--prefetch');
let records = 0;
let next: Promise<string> | undefined = prefetch && input.urls.length ? fetchText(input.urls[0]!) : undefined;
for (let k = 0; k < input.urls.length; k++) {
  const text = await (next ?? fetchText(input.urls[k]!));
  next = prefetch && k + 1 < input.urls.length ? fetchText(input.urls[k + 1]!) : undefined;
  const body = JSON.parse(text) as Record<string, unknown>;
  let chunk = '';
  // Every top-level array of objects is records (the page's own and its side-loads).
  for (const v of Object.values(body)) {
    if (!Array.isArray(v)) continue;
    for (const r of v) {
      if (r === null || typeof r !== 'object') continue;
      chunk += `${JSON.stringify(r)}\n`;
      records++;
    }
  }
  if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
}
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
process.stderr.write(`floor: ${records} records from ${input.urls.length} pages\n`);
agent.destroy();
