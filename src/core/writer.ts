/**
 * The single stdout writer. Respects backpressure (a slow target slows the
 * tap instead of buffering the account in memory) and reports a closed pipe
 * as one clear error instead of an EPIPE crash.
 */
import { once } from 'node:events';
import { ConfigError } from '../util/errors.js';

export class OutputWriter {
  private broken: Error | undefined;
  bytes = 0;

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      this.broken = err.code === 'EPIPE'
        ? new ConfigError('the program reading tap-zendesk\'s output closed the pipe (EPIPE): check the target\'s own error.')
        : err;
    });
  }

  async write(chunk: string): Promise<void> {
    if (this.broken) throw this.broken;
    this.bytes += chunk.length;
    if (!this.out.write(chunk)) {
      try {
        await once(this.out, 'drain');
      } catch {
        // `once` rejects when 'error' fires first; the listener above has recorded it.
      }
      if (this.broken) throw this.broken;
    }
  }

  /** Resolves once everything written so far is handed to the OS. */
  async flush(): Promise<void> {
    if (this.broken) throw this.broken;
    await new Promise<void>((resolve) => this.out.write('', () => resolve()));
    if (this.broken) throw this.broken;
  }
}
