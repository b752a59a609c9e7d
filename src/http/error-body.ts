/**
 * Zendesk's error bodies are not uniform: `error` may be a string or an
 * object, `errors` an array, and the body may be plain text, HTML or empty.
 */
export function describeErrorBody(body: unknown): string {
  if (body === undefined || body === null || body === '') return '';
  if (typeof body === 'string') {
    const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
  }
  if (typeof body !== 'object') return String(body);
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof b.error === 'string') parts.push(b.error);
  else if (b.error && typeof b.error === 'object') {
    const e = b.error as Record<string, unknown>;
    parts.push([e.title, e.message].filter((x) => typeof x === 'string').join(': '));
  }
  if (typeof b.description === 'string') parts.push(b.description);
  if (typeof b.error_description === 'string') parts.push(b.error_description);
  if (Array.isArray(b.errors)) {
    for (const e of b.errors.slice(0, 2)) {
      if (e && typeof e === 'object') {
        const o = e as Record<string, unknown>;
        parts.push([o.code, o.title ?? o.detail].filter((x) => typeof x === 'string').join(': '));
      }
    }
  }
  if (typeof b.detail === 'string') parts.push(b.detail);
  return parts.filter(Boolean).join(' - ');
}
