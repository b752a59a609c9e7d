/**
 * Every property Zendesk's OAS documents for an object is in the schema of the
 * stream derived from it (issue 9 §5), and so is every field real responses
 * were seen to carry (scripts/schema-sources/observed.json).
 *
 * Reads the committed test/fixtures/oas-documented-properties.json (made from
 * the OAS files by scripts/derive-oas-coverage.mjs, with a walk of the OAS of
 * its own, not derive-schemas'), so it runs in a clone with nothing beside it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const SOURCES_DIR = join(ROOT, 'scripts/schema-sources');

interface Documented {
  streams: Record<string, { product: string; components: string[]; properties: Record<string, { from: string; writeOnly?: true }> }>;
}
interface Entry {
  oas?: string[];
  drop?: string[];
}

const documented = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/oas-documented-properties.json'), 'utf8')) as Documented;
const sources = new Map<string, Entry>();
const observed = new Map<string, string[]>();
for (const f of readdirSync(SOURCES_DIR).filter((x) => x.endsWith('.json'))) {
  const doc = JSON.parse(readFileSync(join(SOURCES_DIR, f), 'utf8')) as { streams?: Record<string, Entry>; observed?: Record<string, Record<string, unknown>> };
  for (const [name, e] of Object.entries(doc.streams ?? {})) sources.set(name, e);
  for (const [name, fields] of Object.entries(doc.observed ?? {})) observed.set(name, [...(observed.get(name) ?? []), ...Object.keys(fields)]);
}
const schemaProps = (stream: string): Set<string> =>
  new Set(Object.keys((JSON.parse(readFileSync(join(ROOT, 'schemas/streams', `${stream}.json`), 'utf8')) as { properties: object }).properties));

describe('schema coverage of the OAS', () => {
  it('the documented-properties file lists every stream derived from an OAS object', () => {
    const oasStreams = [...sources].filter(([, e]) => e.oas).map(([n]) => n).sort();
    expect(Object.keys(documented.streams).sort(), 'run node scripts/derive-oas-coverage.mjs --oas-dir DIR').toEqual(oasStreams);
  });

  it('every OAS-documented property of a stream\'s object is in its schema', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const [stream, d] of Object.entries(documented.streams)) {
      const have = schemaProps(stream);
      const dropped = new Set(sources.get(stream)?.drop ?? []);
      for (const [prop, where] of Object.entries(d.properties)) {
        if (where.writeOnly || dropped.has(prop)) continue; // request-only, or dropped on purpose with a note
        checked++;
        if (!have.has(prop)) missing.push(`${stream}.${prop} (${d.components.join('+')}: ${where.from})`);
      }
    }
    expect(missing, 'documented in the OAS but missing from the schema').toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it('request-only (writeOnly) properties stay out of record schemas unless a source adds them back', () => {
    const leaked: string[] = [];
    for (const [stream, d] of Object.entries(documented.streams)) {
      const have = schemaProps(stream);
      const added = new Set(Object.keys((sources.get(stream) as { add?: object } | undefined)?.add ?? {}));
      for (const [prop, where] of Object.entries(d.properties)) if (where.writeOnly && have.has(prop) && !added.has(prop)) leaked.push(`${stream}.${prop}`);
    }
    expect(leaked).toEqual([]);
  });

  it('fields seen in real responses are in the schemas (issue 9 §5 and scripts/schema-sources/observed.json)', () => {
    const seen = [
      'ticket_events.metadata', 'ticket_fields.key', 'macros.raw_title', 'tickets.satisfaction_probability', 'users.abilities',
      'groups.user_ids', 'custom_statuses.url', 'recipient_addresses.url', 'topics.community_id',
      ...[...observed].flatMap(([s, fs]) => fs.map((f) => `${s}.${f}`)),
    ];
    const missing = seen.filter((sf) => {
      const [s, f] = sf.split('.');
      return !schemaProps(s!).has(f!);
    });
    expect(missing).toEqual([]);
  });
});
