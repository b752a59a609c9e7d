/**
 * Engine events -> Singer messages. STATE carries the whole tap state, built
 * from the positions whose records are already written, so a STATE never
 * covers a record that is not before it on stdout, whatever the interleaving.
 */
import type { EngineEvent } from '../../core/events.js';
import type { OutputWriter } from '../../core/writer.js';
import type { TapState } from '../../state/tap-state.js';
import { log } from '../../util/log.js';

export class SingerAdapter {
  private readonly state: TapState;

  constructor(private readonly writer: OutputWriter, initial: TapState) {
    this.state = { version: initial.version, bookmarks: { ...initial.bookmarks } };
  }

  handle = async (e: EngineEvent): Promise<void> => {
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
      case 'checkpoint':
        this.state.bookmarks[e.stream] = e.position;
        await this.writeState();
        return;
      case 'status':
        if (e.status === 'incomplete') log.warn(`${e.stream}: incomplete${e.message ? `: ${e.message}` : ''}`);
        else log.debug(`${e.stream}: ${e.status}${e.message ? ` (${e.message})` : ''}`);
        return;
      case 'log':
        log.log(e.level, e.message);
        return;
      case 'error':
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
    await this.writer.write(`${JSON.stringify({ type: 'STATE', value: this.state })}\n`);
  }
}
