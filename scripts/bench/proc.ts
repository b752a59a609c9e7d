/**
 * Process plumbing for the bench: the forked server (emulator + replay proxy)
 * with a tiny RPC, and a measured child run (stdout counted and discarded,
 * RSS and CPU polled from /proc while it runs).
 */
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EmulatorStats } from '../../test/emulator/index.js';
import type { ServerChildInit, ServerCommand } from './server-child.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../src/main.js', import.meta.url));
const SERVER_CHILD = fileURLToPath(new URL('./server-child.js', import.meta.url));
export const FLOOR = fileURLToPath(new URL('./floor.js', import.meta.url));

export interface Credentials {
  subdomain: string;
  email: string;
  apiToken: string;
}

export interface BenchServer {
  /** Where clients go (the proxy when replaying). */
  url: string;
  emulatorUrl: string;
  credentials: Credentials;
  pid: number;
  call<T = unknown>(cmd: ServerCommand): Promise<T>;
  stats(): Promise<EmulatorStats>;
  close(): Promise<void>;
}

export async function startServer(init: ServerChildInit): Promise<BenchServer> {
  const child = fork(SERVER_CHILD, [JSON.stringify(init)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096'] });
  let seq = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const ready = await new Promise<{ url: string; emulatorUrl: string; credentials: Credentials }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
    child.on('message', (raw) => {
      const m = raw as { ready?: boolean; id?: number; result?: unknown; error?: string } & Record<string, unknown>;
      if (m.ready) {
        resolve(m as unknown as { url: string; emulatorUrl: string; credentials: Credentials });
        return;
      }
      const p = pending.get(m.id!);
      if (!p) return;
      pending.delete(m.id!);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
  });
  child.removeAllListeners('exit');
  const call = <T>(cmd: ServerCommand): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...cmd });
    });
  return {
    ...ready,
    pid: child.pid!,
    call,
    stats: () => call<EmulatorStats>({ cmd: 'stats' }),
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      try {
        await call({ cmd: 'close' });
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export interface Measured {
  code: number | null;
  wallMs: number;
  /** stdout bytes and lines. */
  bytes: number;
  lines: number;
  /** Lines starting with {"type":"RECORD" (the floor's lines are all records). */
  records: number;
  /** Peak resident set (VmHWM), MB. */
  peakRssMb: number;
  /** User + system CPU of the child, seconds (from /proc/<pid>/stat). */
  cpuSeconds: number;
  stderr: string;
  /** Resident set (VmRSS, MB) sampled about once a second: growth over a run shows in it. */
  rssSeries: number[];
  /** Wall-clock offset (ms from start) of each stream's first and last RECORD, when `trackStreams`. */
  streams?: Record<string, { first: number; last: number; records: number }>;
}

const RECORD_PREFIX = Buffer.from('{"type":"RECORD"');
const CLK_TCK = 100;

function readProc(pid: number): { hwmKb: number; rssKb: number; cpuTicks: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" of comm: state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(rest[11]) + Number(rest[12]);
    return { hwmKb: hwm ? Number(hwm[1]) : 0, rssKb: rss ? Number(rss[1]) : 0, cpuTicks };
  } catch {
    return undefined;
  }
}

/**
 * Runs `node <script> ...args` with stdout piped to a counter that discards it.
 * With `trackStreams` the RECORD lines are also parsed for their stream name
 * (slower: only for the runs that are not about CPU).
 */
export function measure(script: string, args: string[], opts: { trackStreams?: boolean; timeoutMs?: number; env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), script, ...args], {
      cwd: ROOT,
      env: { ...process.env, TAP_ZENDESK_PROGRESS_MS: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid!;
    let bytes = 0;
    let lines = 0;
    let records = 0;
    // Bytes of the current line's start while fewer than the RECORD prefix have arrived.
    let lineHead: Buffer | undefined = Buffer.alloc(0);
    let partial = '';
    const streams: Record<string, { first: number; last: number; records: number }> = {};
    let peakKb = 0;
    let cpuTicks = 0;
    const rssSeries: number[] = [];
    let polls = 0;
    const poll = (): void => {
      const p = readProc(pid);
      if (p) {
        peakKb = Math.max(peakKb, p.hwmKb);
        cpuTicks = Math.max(cpuTicks, p.cpuTicks);
        if (polls++ % 10 === 0 && p.rssKb > 0) rssSeries.push(Math.round(p.rssKb / 1024));
      }
    };
    const timer = setInterval(poll, 100);
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30 * 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (opts.trackStreams) {
        const now = performance.now() - started;
        const text = partial + chunk.toString('utf8');
        let from = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
          lines++;
          if (text.startsWith('{"type":"RECORD","stream":"', from)) {
            records++;
            const s0 = from + 27;
            const name = text.slice(s0, text.indexOf('"', s0));
            const e = (streams[name] ??= { first: now, last: now, records: 0 });
            e.last = now;
            e.records++;
          }
          from = nl + 1;
        }
        partial = text.slice(from);
        return;
      }
      // Count lines and RECORD lines without decoding: compare the first bytes of each line.
      const P = RECORD_PREFIX.length;
      if (lineHead) {
        const take = chunk.subarray(0, P - lineHead.length);
        const nl = take.indexOf(10);
        if (nl >= 0) lineHead = undefined;
        else {
          lineHead = Buffer.concat([lineHead, take]);
          if (lineHead.length === P) {
            if (lineHead.equals(RECORD_PREFIX)) records++;
            lineHead = undefined;
          }
        }
      }
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, nl + 1)) {
        lines++;
        const start = nl + 1;
        if (chunk.length - start >= P) {
          if (chunk.compare(RECORD_PREFIX, 0, P, start, start + P) === 0) records++;
          lineHead = undefined;
        } else {
          lineHead = Buffer.from(chunk.subarray(start));
        }
      }
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      stderr += c;
      if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000);
    });
    // 'exit' fires before the pipes close; /proc/<pid> stays readable until the parent reaps the child.
    child.on('exit', () => poll());
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      clearTimeout(killer);
      resolve({
        code,
        wallMs: performance.now() - started,
        bytes,
        lines,
        records,
        peakRssMb: peakKb / 1024,
        cpuSeconds: cpuTicks / CLK_TCK,
        stderr,
        rssSeries,
        ...(opts.trackStreams ? { streams } : {}),
      });
    });
  });
}
