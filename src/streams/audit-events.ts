/**
 * Ticket audits and ticket field history, rebuilt from the incremental ticket
 * event export (`include=comment_events`). Zendesk documents that export as the
 * route for change data: the description of `GET /api/v2/ticket_audits`
 * (OAS `ListTicketAudits`) says that feed "should not be used for capturing
 * change data" and points to the Incremental Ticket Event Export. Each
 * exported ticket event is one audit (a comment child's `audit_id` is the
 * event's `id`), and its `child_events` are the audit's events, so both
 * streams cost no request beyond the export the tap reads anyway.
 */
import type { JsonObject } from '../core/events.js';

const asArray = (v: unknown): JsonObject[] => (Array.isArray(v) ? (v as JsonObject[]) : []);

/**
 * Keys every child event carries besides the property it sets (Zendesk's
 * "Ticket Audit events reference": Create and Change events set one property
 * each; tag events add `added_tags`/`removed_tags`).
 */
const CHILD_META = new Set(['id', 'via', 'via_reference_id', 'event_type', 'type', 'previous_value', 'added_tags', 'removed_tags', 'comment_present', 'comment_public']);

/** The property a Create/Change child event sets, and any others it carries (undocumented: kept, not dropped). */
function fieldsOf(child: JsonObject): string[] {
  const keys = Object.keys(child).filter((k) => !CHILD_META.has(k) && child[k] !== undefined);
  // Tag events may name the tags beside another key; `tags` is the property then.
  return keys.includes('tags') ? ['tags', ...keys.filter((k) => k !== 'tags')] : keys;
}

function kindOf(child: JsonObject): string | undefined {
  const k = child.event_type ?? child.type;
  return typeof k === 'string' ? k : undefined;
}

/** A field value as text: loaders get one column type whatever the field. */
function asText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(' ');
  return JSON.stringify(v);
}

/** An event of the export in the audit-event shape of `GET /api/v2/tickets/{id}/audits`. */
function auditEvent(child: JsonObject): JsonObject {
  const kind = kindOf(child);
  if (kind === 'Create' || kind === 'Change') {
    const [field, ...others] = fieldsOf(child);
    const out: JsonObject = { id: child.id, type: kind };
    if (field !== undefined) {
      out.field_name = field;
      out.value = child[field];
    }
    if (kind === 'Change') out.previous_value = child.previous_value ?? null;
    for (const k of others) out[k] = child[k];
    if (child.added_tags !== undefined) out.added_tags = child.added_tags;
    if (child.removed_tags !== undefined) out.removed_tags = child.removed_tags;
    if (child.via !== undefined && typeof child.via === 'object') out.via = child.via;
    return out;
  }
  // Comments (full objects with comment_events) and every other event type keep their own fields.
  const { event_type: _et, ...rest } = child;
  return { ...rest, type: kind ?? null };
}

export function auditsOf(events: JsonObject[]): JsonObject[] {
  const out: JsonObject[] = [];
  for (const e of events) {
    const children = asArray(e.child_events);
    // The event's own `via` is a label ("Web form"); a comment child carries the via object audits have.
    const viaObject = children.find((c) => c.via && typeof c.via === 'object')?.via ?? null;
    out.push({
      id: e.id,
      ticket_id: e.ticket_id,
      created_at: e.created_at,
      timestamp: e.timestamp,
      author_id: e.updater_id ?? null,
      via: viaObject,
      via_label: typeof e.via === 'string' ? e.via : null,
      metadata: e.metadata ?? (e.system && typeof e.system === 'object' ? { system: e.system } : null),
      merged_ticket_ids: e.merged_ticket_ids ?? null,
      events: children.map(auditEvent),
    });
  }
  return out;
}

/** One row per property set or changed (Create/Change child events), tags included. */
export function fieldHistoryOf(events: JsonObject[]): JsonObject[] {
  const out: JsonObject[] = [];
  for (const e of events) {
    for (const child of asArray(e.child_events)) {
      const kind = kindOf(child);
      if (kind !== 'Create' && kind !== 'Change') continue;
      const [field] = fieldsOf(child);
      if (field === undefined) continue;
      out.push({
        id: child.id,
        ticket_id: e.ticket_id,
        audit_id: e.id,
        field_name: field,
        value: asText(child[field]),
        previous_value: kind === 'Change' ? asText(child.previous_value) : null,
        event_type: kind,
        added_tags: child.added_tags ?? null,
        removed_tags: child.removed_tags ?? null,
        updater_id: e.updater_id ?? null,
        via: typeof e.via === 'string' ? e.via : asText(e.via),
        created_at: e.created_at,
        timestamp: e.timestamp,
      });
    }
  }
  return out;
}
