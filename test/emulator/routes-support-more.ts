import { epochOf } from './clock.js';
import { E, ReplyError } from './errors.js';
import type { Registry, RouteCtx } from './registry.js';
import { type ListSource, arraySource, recordCursorExport } from './pagination.js';
import type { Rec } from './data/collection.js';
import { textHash } from './data/dataset.js';
import { descByTsSource, liveTicket } from './routes.js';
import type { ListOptions } from './pagination.js';

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
  const listed = (path: string, key: string, name = key, o: Omit<ListOptions, 'key'> & { paging?: 'both' | 'cursor' | 'offset' } = {}): void => {
    r.list(path, key, (c) => arraySource(() => store(c, name)), o);
  };

  // ------------------------------------------------------------ cursor (+ offset) lists
  // Each: OAS "#### Pagination: Cursor pagination (recommended), Offset pagination", ≤ 100 per page.
  // Filters these operations document (macros access/active/..., views access/...) are not emulated.
  listed('/api/v2/macros', 'macros'); // OAS ListMacros
  listed('/api/v2/user_fields', 'user_fields'); // OAS ListUserFields
  listed('/api/v2/organization_fields', 'organization_fields'); // OAS ListOrganizationFields
  // OAS ListViews: "Cursor pagination (recommended, but only sorts by `created_at`)"
  listed('/api/v2/views', 'views', 'views', { order: 'created_at,id' });
  // OAS ListTriggers: sort (cursor only) alphabetical|created_at|updated_at|position; default position [obs]
  listed('/api/v2/triggers', 'triggers', 'triggers', { order: 'position,id', sorts: ['alphabetical', 'created_at', 'updated_at', 'position'] });
  // OAS ListTriggerCategories: sort enum position|name|created_at|updated_at (± prefix)
  listed('/api/v2/trigger_categories', 'trigger_categories', 'trigger_categories', { order: 'position,id', sorts: ['position', 'name', 'created_at', 'updated_at'] });
  listed('/api/v2/automations', 'automations'); // OAS ListAutomations
  listed('/api/v2/recipient_addresses', 'recipient_addresses'); // OAS ListSupportAddresses
  listed('/api/v2/dynamic_content/items', 'items', 'dynamic_content_items'); // OAS ListDynamicContents
  listed('/api/v2/deleted_users', 'deleted_users'); // OAS ListDeletedUsers
  listed('/api/v2/organization_subscriptions', 'organization_subscriptions'); // OAS ListOrganizationSubscriptions
  listed('/api/v2/sessions', 'sessions'); // OAS ListSessions
  // OAS ListSuspendedTickets: "Cursor pagination" only
  listed('/api/v2/suspended_tickets', 'suspended_tickets', 'suspended_tickets', { paging: 'cursor' });
  // Webhooks API (webhooks-oas.yaml ListWebhooks): cursor paging page[size]/page[after]
  listed('/api/v2/webhooks', 'webhooks', 'webhooks', { paging: 'cursor' });

  // OAS ListOrganizationMemberships, ListDeletedTickets, ListActivities (default -created_at,id [obs])
  r.list('/api/v2/organization_memberships', 'organization_memberships', (c) => idSource((after) => c.data.organizationMemberships(after)))
    .list('/api/v2/deleted_tickets', 'deleted_tickets', (c) => idSource((after) => c.data.deletedTickets(after)))
    .list('/api/v2/activities', 'activities', (c) => arraySource(() => c.data.ticketActivities()), { order: '-created_at,id' })
    // docs ticket_skips/#list-ticket-skips (no OAS path here)
    .list('/api/v2/skips', 'skips', (c) => arraySource(() => c.data.ticketSkips()))
    .list(
      '/api/v2/audit_logs',
      'audit_logs',
      (c) => {
        const tsOf = (x: Rec): number => epochOf(x.created_at as string);
        // OAS ListAuditLogs: `sort` "Cursor pagination only ... Default is `sort=-created_at`" (newest first).
        // sort=created_at (ascending) is inferred from the `-` convention; filter[...] params are not emulated.
        if (c.q.get('sort') !== 'created_at') return descByTsSource(() => store(c, 'audit_logs'), tsOf);
        return arraySource(() => [...store(c, 'audit_logs')].sort((a, b) => tsOf(a) - tsOf(b) || (a.id as number) - (b.id as number)));
      },
      { sorts: ['created_at'], sortable: true, order: '-created_at,id' },
    );

  // ------------------------------------------------------------ everything at once (no pagination declared)
  // OAS ListCustomRoles, ListTicketForms, ListSharingAgreements, ListTargets, ListTargetFailures,
  // ListCustomStatuses, ListSatisfactionRatingReasons, ListGroupSLAPolicies, ListAccountAttributes,
  // ListCustomObjects, ListWorkspaces, ListLocales; schedules: docs schedules/#list-schedules. None declares
  // pagination: per_page/page[size] ignored, all at once (assumption unpagedAllAtOnce, see options.ts).
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
    .single('/api/v2/account/settings', 'settings', (c) => store(c, 'account_settings')[0]) // OAS ShowAccountSettings
    // OAS ListRoutingAttributeDefinitions: {definitions: {conditions_all: [...], conditions_any: [...]}}
    .single('/api/v2/routing/attributes/definitions', 'definitions', (c) => store(c, 'attribute_definitions')[0]);

  // ------------------------------------------------------------ custom object records
  const objectRecords = (c: RouteCtx): Rec[] => {
    const key = c.params.key;
    if (!store(c, 'custom_objects').some((o) => o.key === key)) throw new ReplyError(E.recordNotFound());
    return store(c, 'custom_object_records').filter((x) => x.custom_object_key === key);
  };
  // No OAS operation here: support.zendesk.com 9703831101978 (2025-09-15 announcement) and docs
  // /documentation/ticketing/managing-tickets/using-the-incremental-export-api ("Incremental Custom Object
  // Record Export, Cursor Based"); params start_time, cursor, per_page, filter[exclude_deleted] (zendesk-api.md §3.9 [3p]).
  r.add('/api/v2/incremental/custom_objects/{key}/cursor', (c) =>
    recordCursorExport(c, c.clock, { key: 'custom_object_records', records: objectRecords(c), tsOf: (x) => epochOf(x.updated_at as string) }),
  )
    // OAS ListCustomObjectRecords: cursor only; sort id|updated_at (± prefix); filter[ids]/[external_ids] not emulated
    .list('/api/v2/custom_objects/{key}/records', 'custom_object_records', (c) => arraySource(() => objectRecords(c)), {
      paging: 'cursor',
      sorts: ['id', 'updated_at'],
      order: 'id',
    });

  // docs side_conversation_event/#incremental-side-conversation-event-export: start_time (an older snapshot of the
  // page says unix_time), answer count, end_time, events, next_page. No page size or end_of_stream is documented:
  // the time-based exports' 1000 and no end_of_stream (inferred).
  r.timeExport('/api/v2/tickets/side_conversations/events', (c) => ({
    key: 'events',
    scan: (from) => c.data.sideConversationEvents().filter((e) => epochOf(e.created_at as string) >= from),
    tsOf: (e) => epochOf(e.created_at as string),
    idOf: (e) => textHash(e.id as string),
  }), { endOfStream: false });

  // ------------------------------------------------------------ per ticket
  // docs side_conversation/#list-side-conversations: only the ticket_id path parameter, no pagination
  // declared: page[size]/per_page are ignored and every side conversation comes at once.
  r.unpaged('/api/v2/tickets/{id}/side_conversations', 'side_conversations', (c) => {
    liveTicket(c);
    return c.data.sideConversationsOf(Number(c.params.id));
  });
}
