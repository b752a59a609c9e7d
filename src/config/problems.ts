/**
 * Turns a config's validation errors into the list of its problems, one
 * actionable sentence each, so a user fixes them all in one round instead of
 * one per run. ajv reports every failed branch of `credentials.oneOf`; only
 * the branch of the chosen `type` is worth a sentence.
 */
import type { ErrorObject } from 'ajv';
import { configSchema } from './schema.js';

interface Branch {
  properties: { type: { const: string } } & Record<string, unknown>;
}

const branches = () => configSchema.properties.credentials.oneOf as Branch[];

/** The credential types the schema accepts, in its order. */
export function credentialKinds(): string[] {
  return branches().map((b) => b.properties.type.const);
}

const HINTS: Record<string, string> = {
  subdomain: ' Use only the account name, e.g. "acme" for https://acme.zendesk.com.',
  start_date: ' Use UTC like "2024-01-01T00:00:00Z" (also accepted: "2024-01-01", an offset like "+02:00", fractions of a second).',
  end_date: ' Use UTC like "2025-01-01T00:00:00Z" (also accepted: "2025-01-01", an offset like "+02:00", fractions of a second).',
  page_size: ' Zendesk lists allow 1 to 100.',
};

/** One problem: the setting it is about (dotted path) and the sentence for the user. */
export interface Problem {
  field: string;
  message: string;
}

export function schemaProblems(errors: ErrorObject[], config: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  const add = (field: string, message: string) => {
    if (!out.some((p) => p.field === field)) out.push({ field, message });
  };
  if (config.subdomain === undefined) {
    add('subdomain', 'config: "subdomain" is required: the part before .zendesk.com (for https://acme.zendesk.com it is "acme").');
  }
  const creds = config.credentials as Record<string, unknown> | undefined;
  const kinds = credentialKinds();
  let branch = -1;
  if (creds === undefined) {
    add('credentials', 'config: no credentials. Add "credentials": {"type": "oauth2_client_credentials", "client_id": "...", "client_secret": "..."} (or type "oauth2_refresh", "oauth2.0", "api_token"; see the README\'s OAuth setup).');
  } else if (typeof creds !== 'object' || Array.isArray(creds) || creds === null) {
    add('credentials', 'config: "credentials" must be an object like {"type": "api_token", "email": "...", "api_token": "..."}.');
  } else if (!kinds.includes(creds.type as string)) {
    add('credentials.type', `config: credentials.type must be one of ${kinds.map((k) => `"${k}"`).join(', ')} (got ${JSON.stringify(creds.type ?? null)}).`);
  } else {
    branch = kinds.indexOf(creds.type as string);
  }
  const inChosenBranch = (e: ErrorObject) => new RegExp(`/credentials/oneOf/${branch}/`).test(e.schemaPath);
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'const' || e.keyword === 'if') continue;
    const underCredentials = /\/credentials\/oneOf\//.test(e.schemaPath);
    if (underCredentials && !inChosenBranch(e)) continue;
    if (e.keyword === 'required') {
      const missing = String(e.params.missingProperty);
      if (underCredentials) add(`credentials.${missing}`, `config: credentials of type "${String(creds?.type)}" need "${missing}".`);
      else if (e.instancePath === '') add(missing, `config: "${missing}" is required.${HINTS[missing] ?? ''}`);
      else add(`${field(e)}.${missing}`, `config: "${field(e)}" needs "${missing}".`);
      continue;
    }
    const f = field(e);
    const hint = HINTS[f.split('.').pop() ?? ''];
    // A regex or format name helps nobody; the hint says what the value should look like.
    const what = hint && (e.keyword === 'pattern' || e.keyword === 'format') ? `is not valid (got ${JSON.stringify(valueAt(config, f))})` : e.message ?? 'is invalid';
    add(f, `config: "${f}" ${what}.${hint ?? ''}`);
  }
  return out;
}

function valueAt(config: Record<string, unknown>, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), config);
}

function field(e: ErrorObject): string {
  return e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'config';
}
