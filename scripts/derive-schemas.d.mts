/** Types for derive-schemas.mjs (used by test/schemas.test.ts). */
export declare const SCHEMA_DIALECT: string;
export declare const ANY_TYPES: string[];
export interface StreamSource {
  product: 'support' | 'talk' | 'chat' | 'help_center';
  file: string;
  oas?: string[];
  oasPath?: string;
  fields?: unknown;
  add?: Record<string, unknown>;
  drop?: string[];
  primaryKey?: string[];
  replicationKey?: string;
  note?: string;
  /** Fields real responses carry that no documentation lists (from a file's `observed` map). */
  observed?: Record<string, { type: unknown; description?: string; source: string }>;
  definitions: Record<string, unknown>;
}
export declare function loadSources(): { streams: Map<string, StreamSource>; patches: Record<string, unknown>[] };
export declare function buildStreamSchema(name: string, entry: StreamSource, oas: unknown): Record<string, unknown>;
/** The committed extract of Zendesk's OAS files (scripts/extract-oas.mjs). */
export declare const OAS_EXTRACT: string;
export declare function buildAll(opts?: { oasDocs?: object[] }): { schemas: Map<string, Record<string, unknown>>; sources: Map<string, StreamSource> };
export declare function formatSchema(value: unknown): string;
