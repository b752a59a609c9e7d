import { epochOf } from './clock.js';
import { E, ReplyError } from './errors.js';
import type { Registry, RouteCtx } from './registry.js';
import { type ListSource, arraySource, recordCursorExport } from './pagination.js';
import type { Rec } from './data/collection.js';
import { descByTsSource, liveTicket } from './routes.js';

/**
 * The rest of Support: configuration lists, deleted/suspended records, audit
 * log, routing, custom objects (and their incremental record export), account
 * settings and per-ticket side conversations. Paging per zendesk-api.md §2.3:
 * cursor + offset where Zendesk offers both, "everything at once" for the
 * endpoints that declare no pagination.
 */

/** A generator resumable after an id, as a ListSource (large derived lists). */
function idSource(iter: (afterId: number | undefined) => Iterable<Rec>): ListSource {
  return { keyOf: (r) => String(r.id), records: (_q, after) => iter(after === undefined ? undefined : Number(after)) };
}

export function addSupportMoreRoutes(r: Registry): void {
  const store = (c: RouteCtx, name: string): Rec[] => c.data.support.all(name);
  const listed = (path: string, key: string, name = key, o: { paging?: 'both' | 'cursor' | 'offset'; order?: string } = {}): void => {
    r.list(path, key, (c) => arraySource(() => store(c, name)), o);
  };

  // ------------------------------------------------------------ cursor (+ offset) lists
  listed('/api/v2/macros', 'macros');
  listed('/api/v2/user_fields', 'user_fields');
  listed('/api/v2/organization_fields', 'organization_fields');
  listed('/api/v2/views', 'views', 'views', { order: 'created_at,id' });
  listed('/api/v2/triggers', 'triggers', 'triggers', { order: 'position,id' });
  listed('/api/v2/trigger_categories', 'trigger_categories', 'trigger_categories', { order: 'position,id' });
  listed('/api/v2/automations', 'automations');
  listed('/api/v2/recipient_addresses', 'recipient_addresses');
  listed('/api/v2/dynamic_content/items', 'items', 'dynamic_content_items');
  listed('/api/v2/deleted_users', 'deleted_users');
  listed('/api/v2/organization_subscriptions', 'organization_subscriptions');
  listed('/api/v2/sessions', 'sessions');
  // Cursor paging only.
  listed('/api/v2/suspended_tickets', 'suspended_tickets', 'suspended_tickets', { paging: 'cursor' });
  listed('/api/v2/webhooks', 'webhooks', 'webhooks', { paging: 'cursor' });

  r.list('/api/v2/organization_memberships', 'organization_memberships', (c) => idSource((after) => c.data.organizationMemberships(after)))
    .list('/api/v2/deleted_tickets', 'deleted_tickets', (c) => idSource((after) => c.data.deletedTickets(after)))
    .list('/api/v2/activities', 'activities', (c) => arraySource(() => c.data.ticketActivities()), { order: '-created_at,id' })
    .list('/api/v2/skips', 'skips', (c) => arraySource(() => c.data.ticketSkips()))
    .list(
      '/api/v2/audit_logs',
      'audit_logs',
      (c) => {
        const tsOf = (x: Rec): number => epochOf(x.created_at as string);
        // `sort=-created_at`: newest first (a tap reads it down to its bookmark).
        if ((c.q.get('sort') ?? '').startsWith('-')) return descByTsSource(() => store(c, 'audit_logs'), tsOf);
        return arraySource(() => [...store(c, 'audit_logs')].sort((a, b) => tsOf(a) - tsOf(b) || (a.id as number) - (b.id as number)));
      },
      { sorts: ['created_at', 'id'], order: 'created_at,id' },
    );

  // ------------------------------------------------------------ everything at once (no pagination declared)
  r.unpaged('/api/v2/custom_roles', 'custom_roles', (c) => store(c, 'custom_roles'))
    .unpaged('/api/v2/ticket_forms', 'ticket_forms', (c) => store(c, 'ticket_forms'))
    .unpaged('/api/v2/business_hours/schedules', 'schedules', (c) => store(c, 'schedules'))
    .unpaged('/api/v2/sharing_agreements', 'sharing_agreements', (c) => store(c, 'sharing_agreements'))
    .unpaged('/api/v2/targets', 'targets', (c) => store(c, 'targets'))
    .unpaged('/api/v2/target_failures', 'target_failures', (c) => store(c, 'target_failures'))
    .unpaged('/api/v2/custom_statuses', 'custom_statuses', (c) => store(c, 'custom_statuses'))
    .unpaged('/api/v2/satisfaction_reasons', 'satisfaction_reasons', (c) => store(c, 'satisfaction_reasons'))
    .unpaged('/api/v2/group_slas/policies', 'group_sla_policies', (c) => store(c, 'group_sla_policies'))
    .unpaged('/api/v2/routing/attributes', 'attributes', (c) => store(c, 'account_attributes'))
    .unpaged('/api/v2/custom_objects', 'custom_objects', (c) => store(c, 'custom_objects'))
    .unpaged('/api/v2/workspaces', 'workspaces', (c) => store(c, 'workspaces'))
    .unpaged('/api/v2/locales', 'locales', (c) => store(c, 'locales'))
    .single('/api/v2/account/settings', 'settings', (c) => store(c, 'account_settings')[0])
    // {definitions: {conditions_all: [...], conditions_any: [...]}}
    .single('/api/v2/routing/attributes/definitions', 'definitions', (c) => store(c, 'attribute_definitions')[0]);

  // ------------------------------------------------------------ custom object records
  const objectRecords = (c: RouteCtx): Rec[] => {
    const key = c.params.key;
    if (!store(c, 'custom_objects').some((o) => o.key === key)) throw new ReplyError(E.recordNotFound());
    return store(c, 'custom_object_records').filter((x) => x.custom_object_key === key);
  };
  r.add('/api/v2/incremental/custom_objects/{key}/cursor', (c) =>
    recordCursorExport(c, c.clock, { key: 'custom_object_records', records: objectRecords(c), tsOf: (x) => epochOf(x.updated_at as string) }),
  ).list('/api/v2/custom_objects/{key}/records', 'custom_object_records', (c) => arraySource(() => objectRecords(c)), { paging: 'cursor' });

  // ------------------------------------------------------------ per ticket
  r.list('/api/v2/tickets/{id}/side_conversations', 'side_conversations', (c) => {
    liveTicket(c);
    return arraySource(() => c.data.sideConversationsOf(Number(c.params.id)), (x) => x.id as string);
  });
}
