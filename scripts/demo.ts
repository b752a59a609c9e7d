/**
 * `npm run demo`: a full sync of every stream against the bundled Zendesk
 * emulator, no credentials needed. Writes the Singer output to
 * .demo/output.jsonl and prints a per-stream summary.
 *
 * The emulator enforces Zendesk's real budgets (10 export requests and 700
 * requests per minute) on a clock sped up 10x, so the demo shows the rate
 * governor at work without taking minutes.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../test/emulator/index.js';
import { ALL_STREAMS } from '../src/streams/registry.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const out = join(root, '.demo');
const cli = join(root, 'dist', 'src', 'main.js');
const SPEEDUP = 10;

function runCli(args: string[], stdoutPath: string | undefined): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TAP_ZENDESK_PROGRESS_MS: '5000' } });
    let stderr = '';
    let stdout = '';
    if (stdoutPath) child.stdout.pipe(createWriteStream(stdoutPath));
    else child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      process.stderr.write(c);
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr, stdout }));
  });
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const emu = await startEmulator({ rateLimits: { accountRpm: 700, exportRpm: 10, windowMs: 60_000 / SPEEDUP } });
  try {
    const config = {
      subdomain: emu.credentials.subdomain,
      base_url: emu.url,
      start_date: '2000-01-01T00:00:00Z',
      credentials: { type: 'api_token', email: emu.credentials.email, api_token: emu.credentials.apiToken },
      rate_window_seconds: 60 / SPEEDUP,
    };
    const configPath = join(out, 'config.json');
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    console.error(`demo: Zendesk emulator at ${emu.url}; discovering streams`);
    const discovered = await runCli(['--config', configPath, '--discover'], undefined);
    if (discovered.code !== 0) throw new Error('discovery failed');
    const catalog = JSON.parse(discovered.stdout) as { streams: Array<{ stream: string; metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }> }> };
    for (const s of catalog.streams) {
      const rootMeta = s.metadata.find((m) => m.breadcrumb.length === 0)!;
      rootMeta.metadata.selected = true;
    }
    const catalogPath = join(out, 'catalog.json');
    writeFileSync(catalogPath, JSON.stringify(catalog, null, 2));
    const outputPath = join(out, 'output.jsonl');
    emu.resetStats();
    console.error(`demo: full sync of ${catalog.streams.length} streams into ${outputPath}`);
    const started = Date.now();
    const run = await runCli(['--config', configPath, '--catalog', catalogPath], outputPath);
    const seconds = (Date.now() - started) / 1000;
    printSummary(run.stderr, emu.stats(), seconds, outputPath);
    if (run.code !== 0) {
      console.error(`demo: the sync exited with code ${run.code}`);
      process.exitCode = 1;
    }
  } finally {
    await emu.close();
  }
}

function printSummary(stderr: string, stats: { requests: number; byPath: Record<string, number>; status429: number; exportRequests: number }, seconds: number, outputPath: string): void {
  const rows = new Map<string, { records: number; seconds: number }>();
  for (const m of stderr.matchAll(/INFO\s+(\w+): (\d+) records in ([\d.]+)s/g)) rows.set(m[1]!, { records: Number(m[2]), seconds: Number(m[3]) });
  // Requests per stream, from the emulator's own count of each path.
  const requestsOf = (path: string) =>
    Object.entries(stats.byPath)
      .filter(([p]) => p === path || p.startsWith(`${path}/`) || p === `${path}.json` || new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}(\\.json)?$`).test(p))
      .reduce((n, [, c]) => n + c, 0);
  const lines: string[] = [];
  let total = 0;
  lines.push(`${'stream'.padEnd(28)} ${'records'.padStart(9)} ${'requests'.padStart(9)} ${'seconds'.padStart(8)}`);
  for (const d of ALL_STREAMS) {
    const row = rows.get(d.name);
    if (!row) continue;
    total += row.records;
    const requests = d.derivedFrom ? '(shared)' : String(requestsOf(d.path));
    lines.push(`${d.name.padEnd(28)} ${String(row.records).padStart(9)} ${requests.padStart(9)} ${row.seconds.toFixed(1).padStart(8)}`);
  }
  lines.push('');
  lines.push(`total: ${total.toLocaleString('en-US')} records from ${rows.size} streams in ${seconds.toFixed(1)}s (${Math.round(total / seconds).toLocaleString('en-US')} records/s)`);
  lines.push(`requests: ${stats.requests} (${stats.exportRequests} on the 10/min export budget), ${((stats.requests / Math.max(total, 1)) * 1000).toFixed(1)} per 1,000 records, ${stats.status429} answered 429`);
  lines.push(`output: ${outputPath}`);
  console.log(`\n${lines.join('\n')}`);
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
