/**
 * Kill-and-resume bookkeeping shared by the crash and chaos suites: run the
 * real CLI, act on its messages as they arrive (SIGKILL it, mutate the
 * emulator), and split what a killed run delivered into what its STATEs cover
 * and what they do not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, type Message } from './tap.js';

export interface LiveRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Complete JSON lines of stdout, in order, up to the kill. */
  messages: Message[];
  killed: boolean;
}

export interface LiveOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  /**
   * Called for every message as it is read. Return 'kill' to SIGKILL the tap
   * right there: nothing after that message counts as delivered.
   */
  onMessage?: (m: Message, seen: { records: number; states: number }, child: ChildProcess) => 'kill' | void;
}

export function runLive(args: string[], opts: LiveOptions = {}): Promise<LiveRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, TAP_ZENDESK_PROGRESS_MS: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
      const msg = parse(line);
      if (!msg) return true;
      messages.push(msg);
      if (msg.type === 'RECORD') seen.records++;
      if (msg.type === 'STATE') seen.states++;
      if (opts.onMessage?.(msg, seen, child) === 'kill') {
        killed = true;
        child.kill('SIGKILL');
        return false;
      }
      return true;
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (killed) return;
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
      done({ code, signal, stderr, messages, killed });
    });
  });
}

function parse(line: string): Message | undefined {
  if (!line.startsWith('{') || !line.endsWith('}')) return undefined;
  try {
    return JSON.parse(line) as Message;
  } catch {
    return undefined;
  }
}

export interface Delivered {
  stream: string;
  key: string;
  record: Record<string, any>;
  /** Index in the run's messages. */
  index: number;
}

export interface Split {
  /** Records a later STATE of the same run covers: resuming from the last STATE never repeats them. */
  covered: Delivered[];
  /** Records no later STATE covers: the resumed run may deliver them again. */
  uncovered: Delivered[];
  lastState: Record<string, any> | undefined;
}

/**
 * A record of stream s is covered when a STATE after it carries a bookmark of
 * s different from the one in force when it was written (the last STATE
 * before it, or the input state). A STATE written between a page's records and
 * its own checkpoint (another stream's checkpoint, interleaved) covers other
 * streams only, so "before the last STATE" alone is not the test.
 */
export function splitRun(messages: Message[], inputState: Record<string, any> | undefined, keyOf: (stream: string, r: Record<string, any>) => string): Split {
  let current: Record<string, string> = {};
  for (const [s, b] of Object.entries(inputState?.bookmarks ?? {})) current[s] = JSON.stringify(b);
  const initial = { ...current };
  let lastState: Record<string, any> | undefined;
  // Latest bookmark of each stream from index i onwards (scanning backwards).
  const later: Array<Record<string, string> | undefined> = new Array(messages.length + 1);
  let after: Record<string, string> | undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.type === 'STATE') {
      if (!after) {
        after = {};
        lastState = m.value;
        for (const [s, b] of Object.entries(m.value?.bookmarks ?? {})) after[s] = JSON.stringify(b);
      }
    }
    later[i] = after;
  }
  current = initial;
  const covered: Delivered[] = [];
  const uncovered: Delivered[] = [];
  messages.forEach((m, i) => {
    if (m.type === 'STATE') {
      current = {};
      for (const [s, b] of Object.entries(m.value?.bookmarks ?? {})) current[s] = JSON.stringify(b);
      return;
    }
    if (m.type !== 'RECORD') return;
    const d: Delivered = { stream: m.stream, key: keyOf(m.stream, m.record), record: m.record, index: i };
    const final = later[i + 1]?.[m.stream];
    if (final !== undefined && final !== current[m.stream]) covered.push(d);
    else uncovered.push(d);
  });
  return { covered, uncovered, lastState };
}

/** Seeded PRNG (mulberry32): the chaos schedule is reproducible from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
