/**
 * `npm run demo`: a full sync of every stream against the bundled Zendesk
 * emulator, no credentials needed. The screen gets one live progress line
 * and the per-stream table; the tap's own log goes to .demo/tap.log and the
 * Singer output to .demo/output.jsonl.
 *
 * The emulator enforces Zendesk's real budgets (10 export requests and 700
 * requests per minute) on a clock sped up 10x, so the demo shows the rate
 * governor at work without taking minutes.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '../test/emulator/index.js';
import { ALL_STREAMS } from '../src/streams/registry.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const out = join(root, '.demo');
const cli = join(root, 'dist', 'src', 'main.js');
const SPEEDUP = 10;
const tty = process.stdout.isTTY === true;

interface Live {
  records: number;
  done: number;
  current: Set<string>;
}

/** Runs the CLI: stdout to a file (or collected), stderr to the log file, lines of both to the callbacks. */
function runCli(args: string[], opts: { stdoutPath?: string; log: WriteStream; onOut?: (line: string) => void; onErr?: (line: string) => void }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const file = opts.stdoutPath ? createWriteStream(opts.stdoutPath) : undefined;
    const lines = (each: ((l: string) => void) | undefined) => {
      let pending = '';
      return (chunk: string) => {
        if (!each) return;
        pending += chunk;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          each(pending.slice(0, nl));
          pending = pending.slice(nl + 1);
        }
      };
    };
    const outLines = lines(opts.onOut);
    const errLines = lines(opts.onErr);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      if (file) file.write(c);
      else stdout += c;
      outLines(c);
    });
    child.stderr.on('data', (c: string) => {
      stderr += c;
      opts.log.write(c);
      errLines(c);
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (file) file.end(() => done({ code, stdout, stderr }));
      else done({ code, stdout, stderr });
    });
  });
}

/** One line rewritten in place on a terminal; elsewhere (CI, a pipe) a line every 15 s. */
function progress(emu: Emulator, live: Live, total: number, started: number): { stop: () => void } {
  let lastPrinted = 0;
  const line = () => {
    const secs = (Date.now() - started) / 1000;
    const now = [...live.current].slice(0, 3).join(', ') + (live.current.size > 3 ? ', ...' : '');
    return `  ${secs.toFixed(0).padStart(3)}s  ${String(live.done).padStart(2)}/${total} streams done  ${fmt(live.records).padStart(7)} records  ${fmt(emu.stats().requests).padStart(5)} requests${now ? `  (reading ${now})` : ''}`;
  };
  const timer = setInterval(() => {
    if (tty) {
      process.stdout.write(`\r\x1b[K${line().slice(0, (process.stdout.columns ?? 100) - 1)}`);
    } else if (Date.now() - lastPrinted >= 15_000) {
      lastPrinted = Date.now();
      console.log(line());
    }
  }, tty ? 250 : 1000);
  if (!tty) {
    lastPrinted = Date.now();
    console.log(line());
  }
  return {
    stop: () => {
      clearInterval(timer);
      if (tty) process.stdout.write(`\r\x1b[K${line()}\n`);
      else console.log(line());
    },
  };
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const logPath = join(out, 'tap.log');
  const outputPath = join(out, 'output.jsonl');
  const log = createWriteStream(logPath);
  console.log('tap-zendesk demo: a full sync of every stream from the bundled Zendesk emulator');
  console.log('(a generated account served on this machine: no credentials, no network). The emulator');
  console.log(`enforces Zendesk's rate limits on a clock sped up ${SPEEDUP}x, so a minute of budget lasts ${60 / SPEEDUP} s.`);
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
    const discovered = await runCli(['--config', configPath, '--discover'], { log });
    if (discovered.code !== 0) throw new Error(`discovery failed (exit ${discovered.code}); see ${rel(logPath)}`);
    const catalog = JSON.parse(discovered.stdout) as { streams: Array<{ stream: string; metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }> }> };
    for (const s of catalog.streams) {
      const rootMeta = s.metadata.find((m) => m.breadcrumb.length === 0)!;
      rootMeta.metadata.selected = true;
    }
    const catalogPath = join(out, 'catalog.json');
    writeFileSync(catalogPath, JSON.stringify(catalog, null, 2));
    emu.resetStats();
    console.log(`\nSyncing ${catalog.streams.length} streams (log: ${rel(logPath)}, output: ${rel(outputPath)})`);
    const live: Live = { records: 0, done: 0, current: new Set() };
    const rows = new Map<string, { records: number; seconds: number; requests: string }>();
    const estimates = new Map<string, number>();
    const started = Date.now();
    const bar = progress(emu, live, catalog.streams.length, started);
    const run = await runCli(['--config', configPath, '--catalog', catalogPath], {
      stdoutPath: outputPath,
      log,
      onOut: (l) => {
        if (!l.startsWith('{"type":"RECORD","stream":"')) return;
        live.records++;
        const name = l.slice(27, l.indexOf('"', 27));
        if (!rows.has(name)) live.current.add(name);
      },
      onErr: (l) => {
        let m = /INFO\s+(\w+): (\d+) records in ([\d.]+)s, (.+)$/.exec(l);
        if (m) {
          rows.set(m[1]!, { records: Number(m[2]), seconds: Number(m[3]), requests: m[4]! });
          live.done++;
          live.current.delete(m[1]!);
          return;
        }
        m = /INFO\s+(\w+): Zendesk counts ~([\d,]+)/.exec(l);
        if (m) estimates.set(m[1]!, Number(m[2]!.replace(/,/g, '')));
      },
    });
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    await new Promise<void>((r) => log.end(() => r()));
    printSummary(rows, estimates, emu, seconds, run.stderr);
    console.log(`\noutput: ${rel(outputPath)}   full log: ${rel(logPath)}`);
    if (run.code !== 0) {
      console.log(`the sync exited with code ${run.code}: see ${rel(logPath)}`);
      process.exitCode = 1;
    }
  } finally {
    await emu.close();
  }
}

function printSummary(rows: Map<string, { records: number; seconds: number; requests: string }>, estimates: Map<string, number>, emu: Emulator, seconds: number, stderr: string): void {
  const stats = emu.stats();
  const lines: string[] = [''];
  lines.push(`${'stream'.padEnd(28)} ${'records'.padStart(8)} ${'requests'.padStart(16)} ${'seconds'.padStart(8)}`);
  let total = 0;
  for (const d of ALL_STREAMS) {
    const row = rows.get(d.name);
    if (!row) continue;
    total += row.records;
    const shared = /requests shared with (\w+)/.exec(row.requests);
    const requests = shared ? `(${shared[1]})` : String(Number.parseInt(row.requests, 10));
    lines.push(`${d.name.padEnd(28)} ${fmt(row.records).padStart(8)} ${requests.padStart(16)} ${row.seconds.toFixed(1).padStart(8)}`);
  }
  const skipped = /skipped \(not available for this account\): (.+)$/m.exec(stderr);
  lines.push('');
  lines.push('requests: made by that stream itself; (x) = read from the pages of stream x, no request of its own.');
  if (skipped) lines.push(`skipped (not available on this account's plan): ${skipped[1]}`);
  const counted = [...estimates].filter(([name]) => rows.has(name)).map(([name, n]) => `${name} ~${fmt(n)} (read ${fmt(rows.get(name)!.records)})`);
  if (counted.length) {
    lines.push(`Zendesk's counts (the tap's up-front estimate): ${counted.join(', ')};`);
    lines.push('they are approximate and leave out archived and deleted records, which the exports read.');
  }
  lines.push('');
  lines.push(`total: ${fmt(total)} records from ${rows.size} streams in ${seconds.toFixed(1)}s (${fmt(total / seconds)} records/s)`);
  lines.push(`requests: ${fmt(stats.requests)} (${stats.exportRequests} on the 10/min export budget), ${((stats.requests / Math.max(total, 1)) * 1000).toFixed(1)} per 1,000 records, ${stats.status429} answered 429`);
  console.log(lines.join('\n'));
}

function fmt(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function rel(p: string): string {
  return relative(process.cwd(), p) || p;
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
