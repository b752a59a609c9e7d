/**
 * Settings the tap does not know are ignored, not fatal (configs move between
 * taps and orchestrators add keys), but a typo like "start_dat" silently
 * dropping a start date is worse than noise: each unknown key gets a warning
 * naming the closest valid setting.
 */
import { configSchema } from './schema.js';

/** singer-io/tap-zendesk's flat credential keys (and the expiry the tap writes beside them), mapped onto `credentials` by load.ts. */
const LEGACY_TOP_LEVEL = ['email', 'api_token', 'access_token', 'refresh_token', 'client_id', 'client_secret', 'password', 'token_expiry_date'];
/** The credential discriminators of Airbyte's Zendesk sources (`credentials`, `auth_type`). */
const LEGACY_CREDENTIALS = ['credentials', 'auth_type'];

type Props = Record<string, { properties?: Record<string, unknown> }>;

function credentialKeys(): string[] {
  const keys = new Set<string>(LEGACY_CREDENTIALS);
  for (const branch of configSchema.properties.credentials.oneOf as Array<{ properties?: Record<string, unknown> }>) {
    for (const k of Object.keys(branch.properties ?? {})) keys.add(k);
  }
  return [...keys];
}

/** "path: known keys" for the objects whose keys are checked. */
function knownKeys(): Map<string, string[]> {
  const props = configSchema.properties as unknown as Props;
  return new Map([
    ['', [...Object.keys(props), ...LEGACY_TOP_LEVEL]],
    ['credentials', credentialKeys()],
    ['chat_credentials', Object.keys(props.chat_credentials?.properties ?? {})],
  ]);
}

/** One warning per unknown key of the config as the user wrote it. */
export function unknownKeyWarnings(input: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [path, known] of knownKeys()) {
    const obj = path === '' ? input : input[path];
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) continue;
    for (const key of Object.keys(obj)) {
      if (known.includes(key)) continue;
      const name = path ? `${path}.${key}` : key;
      const near = closest(key, known);
      out.push(
        near
          ? `config: unknown setting "${name}" is ignored; did you mean "${path ? `${path}.${near}` : near}"?`
          : `config: unknown setting "${name}" is ignored (tap-zendesk --about lists the settings).`,
      );
    }
  }
  return out;
}

/** The known key nearest to `key`, if near enough to be a typo. */
export function closest(key: string, known: string[]): string | undefined {
  const k = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(k, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
