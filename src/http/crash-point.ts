/**
 * Test-only crash points. `TAP_ZENDESK_CRASH_AT=<name>` SIGKILLs the process
 * at that point, so a test can prove what the worst-timed crash leaves behind
 * (a kill from outside cannot hit a window of a few milliseconds reliably).
 */
export type CrashPoint = 'token-received' | 'token-persisted';

export function crashPoint(name: CrashPoint): void {
  if (process.env.TAP_ZENDESK_CRASH_AT !== name) return;
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL to oneself lands before kill() returns on Linux; block anyway so nothing else runs.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
}
