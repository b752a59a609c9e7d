/**
 * Runs the real built CLI (dist/src/main.js) as a child process, the way a
 * Singer target or the Airbyte platform would, and parses what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '../emulator/index.js';
import { getStream } from '../../src/streams/registry.js';

export const CLI = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));

export type Message = Record<string, any>;

export interface TapRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Complete JSON lines of stdout, in order (up to the kill, if any). */
  messages: Message[];
  killed: boolean;
}

export interface RunOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  /** SIGKILL the tap once this many RECORD messages have been read. */
  killAfterRecords?: number;
  /**
   * Called for every message as it is read. Return 'kill' to SIGKILL the tap
   * right there: nothing after that message counts as delivered.
   */
  onMessage?: (m: Message, seen: { records: number; states: number }, child: ChildProcess) => 'kill' | void;
}

export function runTap(args: string[], opts: RunOptions = {}): Promise<TapRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, TAP_ZENDESK_PROGRESS_MS: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let killed = false;
    const seen = { records: 0, states: 0 };
    const messages: Message[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`tap timed out after ${opts.timeoutMs ?? 120_000} ms; stderr:\n${stderr.slice(-3000)}`));
    }, opts.timeoutMs ?? 120_000);
    const take = (line: string): boolean => {
      const msg = parseLine(line);
      if (!msg) return true;
      messages.push(msg);
      if (msg.type === 'RECORD') seen.records++;
      if (msg.type === 'STATE') seen.states++;
      const kill =
        (msg.type === 'RECORD' && opts.killAfterRecords !== undefined && seen.records >= opts.killAfterRecords) ||
        opts.onMessage?.(msg, seen, child) === 'kill';
      if (!kill) return true;
      // Everything after this line is what a crashed tap never delivered.
      killed = true;
      child.kill('SIGKILL');
      return false;
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (killed) return;
      stdout += chunk;
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!take(line)) return;
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (!killed && pending) take(pending);
      done({ code, signal, stdout, stderr, messages, killed });
    });
  });
}

/** One message per line; pretty-printed output (--discover, --about) is read from `stdout` instead. */
function parseLine(line: string): Message | undefined {
  if (!line.startsWith('{') || !line.endsWith('}')) return undefined;
  try {
    return JSON.parse(line) as Message;
  } catch {
    return undefined;
  }
}

let dir: string | undefined;
export function tempFile(name: string, content: unknown): string {
  dir ??= mkdtempSync(join(tmpdir(), 'tap-zendesk-test-'));
  const path = join(dir, `${Date.now()}-${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

export function emulatorConfig(emu: Emulator, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subdomain: emu.credentials.subdomain,
    start_date: '2000-01-01T00:00:00Z',
    base_url: emu.url,
    credentials: { type: 'api_token', email: emu.credentials.email, api_token: emu.credentials.apiToken },
    ...extra,
  };
}

export function recordsOf(messages: Message[], stream: string): Record<string, any>[] {
  return messages.filter((m) => m.type === 'RECORD' && m.stream === stream).map((m) => m.record);
}

export function lastState(messages: Message[]): Record<string, any> | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.type === 'STATE') return messages[i]!.value;
  return undefined;
}

/** A Singer catalog selecting exactly `streams` (from a discover run's catalog). */
export function selectStreams(catalog: Message, streams: string[]): Message {
  return {
    streams: catalog.streams.map((s: Message) => ({
      ...s,
      metadata: s.metadata.map((m: Message) =>
        m.breadcrumb.length === 0 ? { ...m, metadata: { ...m.metadata, selected: streams.includes(s.tap_stream_id) } } : m,
      ),
    })),
  };
}

export function idsOf(records: Record<string, any>[], key = 'id'): Array<string | number> {
  return records.map((r) => r[key]);
}

export function truthIds(emu: Emulator, stream: string, key = 'id'): Array<string | number> {
  return [...emu.truth(stream)].map((r) => r[key] as string | number);
}

export function sorted<T extends string | number>(xs: T[]): T[] {
  return [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A record's primary key as one string (composite keys joined with `|`). */
export function keyOf(stream: string, r: Record<string, unknown>): string {
  return getStream(stream)!.primaryKey.map((k) => String(r[k])).join('|');
}

/** The sorted primary keys of `rows`: what two reads of a stream are compared by. */
export function keysOf(stream: string, rows: Iterable<Record<string, unknown>>): string[] {
  return sorted([...rows].map((r) => keyOf(stream, r)));
}
