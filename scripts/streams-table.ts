/**
 * Writes the README's streams table from the descriptors, between the
 * `<!-- streams:start -->` and `<!-- streams:end -->` markers.
 * `node dist/scripts/streams-table.js` rewrites it; test/readme.test.ts checks it is current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_STREAMS } from '../src/streams/registry.js';
import type { StreamDescriptor } from '../src/streams/descriptor.js';

const PRODUCT: Record<StreamDescriptor['product'], string> = { support: 'Support', talk: 'Talk', chat: 'Chat', help_center: 'Help Center' };

function how(d: StreamDescriptor): string {
  if (d.derivedFrom) return `side-load of ${d.derivedFrom.stream}`;
  if (d.parent) return `per ${d.parent.stream.replace(/s$/, '')}`;
  return ({
    cursor_export: 'cursor export',
    time_export: 'time export',
    count_export: 'time export (count stop)',
    cursor_list: 'cursor list',
    offset_list: 'offset list',
    single: 'single request',
    since_id: 'since_id list',
    desc_feed: 'newest-first feed',
  } as const)[d.paginator];
}

export function streamsTable(): string {
  const rows = ALL_STREAMS.map((d) => {
    const method = d.replicationKey ? `INCREMENTAL (\`${d.replicationKey}\`${d.filter === 'client' ? ', filtered client-side' : ''})` : 'FULL_TABLE';
    const key = d.primaryKey.length ? d.primaryKey.map((k) => `\`${k}\``).join(', ') : '—';
    const needs = [PRODUCT[d.product], d.requires].filter(Boolean).join('; ');
    const notes = [d.description ?? '', d.selectedByDefault === false ? '*Opt-in.*' : '', d.deletionMarker ? `Deleted: \`${d.deletionMarker}\`.` : ''].filter(Boolean).join(' ');
    return `| \`${d.name}\` | ${method} | ${key} | ${how(d)} | ${needs} | ${notes.replace(/\|/g, '\\|')} |`;
  });
  const counts = Object.entries(PRODUCT).map(([p, label]) => `${label} ${ALL_STREAMS.filter((d) => d.product === p).length}`).join(', ');
  return [
    `${ALL_STREAMS.length} streams (${counts}).`,
    '',
    '| Stream | Replication | Key | Read from | Needs | Notes |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function renderReadme(readme: string): string {
  const start = '<!-- streams:start -->';
  const end = '<!-- streams:end -->';
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error('README.md has no streams markers');
  return `${readme.slice(0, a + start.length)}\n${streamsTable()}\n${readme.slice(b)}`;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const path = join(fileURLToPath(new URL('../..', import.meta.url)), 'README.md');
  writeFileSync(path, renderReadme(readFileSync(path, 'utf8')));
  console.error(`README.md: streams table rewritten (${ALL_STREAMS.length} streams)`);
}
