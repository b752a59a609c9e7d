/**
 * SIGTERM and SIGINT end a run politely: the engine stops asking for pages,
 * writes the page in hand and its checkpoint, the adapter writes a final
 * STATE, and the process exits 143 / 130 (128 + signal number, what a shell
 * and an orchestrator expect of a process ended by that signal). A second
 * signal, or a run that does not wind down within `graceMs`, exits at once.
 */
import { setMaxListeners } from 'node:events';
import { log } from '../util/log.js';

const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignalName = keyof typeof SIGNALS;

export interface StopRequest {
  /** Aborted at the first signal: the engine and the HTTP layer watch it. */
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  readonly received: StopSignalName | undefined;
  /** 143 after SIGTERM, 130 after SIGINT, undefined when no signal came. */
  readonly exitCode: number | undefined;
  /** Removes the handlers (the run is over; a later signal takes the default action). */
  dispose(): void;
}

export interface StopOptions {
  /** How long a stopping run may take before it is ended anyway. */
  graceMs?: number;
  /** Called once, at the first signal (after the log line). */
  onStop?: (signal: StopSignalName) => void;
  /** For tests of this file: what ends the process. */
  exit?: (code: number) => void;
}

export function stopOnSignals(opts: StopOptions = {}): StopRequest {
  const controller = new AbortController();
  // Every request in flight and every budget wait listens for the stop (and lets go when done):
  // dozens at once is normal, not a leak, so Node's warning at 11 would only alarm users.
  setMaxListeners(0, controller.signal);
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const graceMs = opts.graceMs ?? Number(process.env.TAP_ZENDESK_STOP_GRACE_MS ?? 10_000);
  let received: StopSignalName | undefined;
  const handlers = new Map<StopSignalName, () => void>();
  for (const name of Object.keys(SIGNALS) as StopSignalName[]) {
    const handler = () => {
      if (received) {
        log.warn(`${name} again: exiting now, without a final STATE`);
        exit(SIGNALS[received]);
        return;
      }
      received = name;
      log.warn(`${name} received: finishing the page in hand, then a final STATE and exit ${SIGNALS[name]} (a second signal exits at once)`);
      // unref: a run that winds down in time exits on its own, without waiting for this.
      const deadline = setTimeout(() => {
        log.error(`still stopping after ${Math.round(graceMs / 1000)}s: exiting without waiting further`);
        exit(SIGNALS[name]);
      }, graceMs);
      deadline.unref();
      controller.abort(new Error(`stopped by ${name}`));
      opts.onStop?.(name);
    };
    handlers.set(name, handler);
    process.on(name, handler);
  }
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    get exitCode() {
      return received ? SIGNALS[received] : undefined;
    },
    dispose() {
      // The deadline stays (unref'd): it still ends a stopped run that something keeps alive.
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}

/** The closing line of a stopped run: what is unfinished and how to go on. */
export function logStopped(stop: StopRequest, unfinished: string[]): void {
  if (!stop.received) return;
  const rest = unfinished.length ? ` Not finished: ${unfinished.join(', ')}.` : '';
  log.warn(`stopped by ${stop.received}: the last STATE covers every record written; run again from it to resume.${rest}`);
}
