/**
 * Kill-and-resume bookkeeping shared by the crash and chaos suites: run the
 * real CLI, act on its messages as they arrive (SIGKILL it, mutate the
 * emulator), and split what a killed run delivered into what its STATEs cover
 * and what they do not.
 */
import { runTap, type Message, type RunOptions, type TapRun } from './tap.js';

/** A run read live; see `runTap` (the one spawner) for the kill semantics. */
export type LiveRun = TapRun;
export type LiveOptions = Pick<RunOptions, 'env' | 'timeoutMs' | 'onMessage'>;

export function runLive(args: string[], opts: LiveOptions = {}): Promise<LiveRun> {
  return runTap(args, opts);
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
