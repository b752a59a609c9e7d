/**
 * Engine events -> Singer messages. STATE carries the whole tap state, built
 * from the positions whose records are already written, so a STATE never
 * covers a record that is not before it on stdout, whatever the interleaving.
 */
import type { EngineEvent } from '../../core/events.js';
import type { OutputWriter } from '../../core/writer.js';
import type { TapState } from '../../state/tap-state.js';
import { log } from '../../util/log.js';
import { getStream } from '../../streams/registry.js';

/** The read a stream's checkpoints belong to: its own, or the one it is side-loaded on. */
const readOf = (stream: string): string => getStream(stream)?.derivedFrom?.stream ?? stream;

export class SingerAdapter {
  private readonly state: TapState;
  /**
   * Checkpoints come in runs (one per member of a side-load group, after the page's records): they
   * go out as one STATE when the run ends (the next other event, or the next turn of the event
   * loop), so no STATE carries one member's new bookmark beside another's old one while both
   * members' records are already written.
   */
  private statePending = false;
  /** The read whose checkpoints are pending: another read's checkpoint gets a STATE of its own. */
  private pendingRead = '';
  /** Streams whose error is already on stderr: their "incomplete" status does not repeat it. */
  private readonly failed = new Set<string>();

  constructor(private readonly writer: OutputWriter, initial: TapState) {
    this.state = { version: initial.version, bookmarks: { ...initial.bookmarks } };
  }

  handle = async (e: EngineEvent): Promise<void> => {
    if (this.statePending && e.kind !== 'checkpoint') await this.writeState();
    switch (e.kind) {
      case 'schema':
        await this.writer.write(`${JSON.stringify({ type: 'SCHEMA', stream: e.stream, schema: e.schema, key_properties: e.keyProperties, bookmark_properties: e.bookmarkProperties })}\n`);
        return;
      case 'records': {
        const head = `{"type":"RECORD","stream":${JSON.stringify(e.stream)},"record":`;
        const tail = `,"time_extracted":"${new Date(e.extractedAt).toISOString()}"}\n`;
        let chunk = '';
        for (const r of e.records) chunk += head + JSON.stringify(r) + tail;
        await this.writer.write(chunk);
        return;
      }
      case 'checkpoint': {
        const read = readOf(e.stream);
        if (this.statePending && read !== this.pendingRead) await this.writeState();
        this.state.bookmarks[e.stream] = e.position;
        this.pendingRead = read;
        if (!this.statePending) {
          this.statePending = true;
          // The engine emits a run of checkpoints without real I/O in between: this runs after the last.
          setImmediate(() => {
            if (this.statePending) this.writeState().catch(() => undefined); // a broken pipe is reported on the next awaited write
          });
        }
        return;
      }
      case 'status':
        if (e.status === 'incomplete' && !this.failed.has(e.stream)) log.warn(`${e.stream}: incomplete${e.message ? `: ${e.message}` : ''}`);
        else log.debug(`${e.stream}: ${e.status}${e.message ? ` (${e.message})` : ''}`);
        return;
      case 'log':
        log.log(e.level, e.message);
        return;
      case 'error':
        if (e.stream) this.failed.add(e.stream);
        log.error(`${e.stream ? `${e.stream}: ` : ''}${e.message}`);
        if (e.internal) log.debug(e.internal);
        return;
      case 'rate_limited':
      case 'estimate':
      case 'config_update':
        return;
    }
  };

  /** The last message of a run is a STATE (targets drop a STATE followed only by RECORDs). */
  async finish(): Promise<void> {
    await this.writeState();
    await this.writer.flush();
  }

  private async writeState(): Promise<void> {
    this.statePending = false;
    await this.writer.write(`${JSON.stringify({ type: 'STATE', value: this.state })}\n`);
  }
}
