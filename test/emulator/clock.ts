/**
 * Virtual clock. Tests must be deterministic around the one-minute export
 * window, so "now" never moves on its own: only advance()/set() change it.
 */
export class VirtualClock {
  private t: number;
  constructor(start = Math.floor(Date.now() / 1000)) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  advance(seconds: number): void {
    this.t += Math.floor(seconds);
  }
  set(epochSeconds: number): void {
    this.t = Math.floor(epochSeconds);
  }
}

/** Zendesk timestamps carry no milliseconds: `2024-02-06T12:34:56Z`. */
export function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function epochOf(isoString: string): number {
  return Math.floor(Date.parse(isoString) / 1000);
}
