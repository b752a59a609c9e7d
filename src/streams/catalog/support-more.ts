/**
 * The rest of Zendesk Support: configuration lists, audits, deleted and
 * suspended records, routing, custom objects and side conversations.
 *
 * Paging follows what each endpoint supports (zendesk-api.md §2.3): cursor
 * lists where Zendesk offers `page[size]`, offset paging (`next_page` until
 * null, usually one page) for the endpoints that return everything at once.
 */
import type { StreamDescriptor } from '../descriptor.js';
import { fromTicketEvents } from './support-core.js';

/** A list read with cursor paging and filtered on `updated_at` after reading (Zendesk cannot filter it). */
function cursorList(name: string, path: string, recordsKey: string, description: string, extra: Partial<StreamDescriptor> = {}): StreamDescriptor {
  return {
    name,
    product: 'support',
    path,
    recordsKey,
    paginator: 'cursor_list',
    primaryKey: ['id'],
    replicationKey: 'updated_at',
    replicationKeyType: 'iso',
    filter: 'client',
    description,
    ...extra,
  };
}

/** An endpoint that answers everything in one page (`next_page: null`); offset paging follows `next_page` should one appear. */
function wholeList(name: string, path: string, recordsKey: string, description: string, extra: Partial<StreamDescriptor> = {}): StreamDescriptor {
  return {
    name,
    product: 'support',
    path,
    recordsKey,
    paginator: 'offset_list',
    primaryKey: ['id'],
    replicationKey: 'updated_at',
    replicationKeyType: 'iso',
    filter: 'client',
    description,
    ...extra,
  };
}

/** Full-table variant of the two helpers above. */
const fullTable = { replicationKey: undefined, replicationKeyType: undefined, filter: undefined } satisfies Partial<StreamDescriptor>;

const ROUTING = 'Skills-based routing (Support Enterprise or Suite Professional and up)';

export const supportMore: StreamDescriptor[] = [
  cursorList('organization_memberships', '/api/v2/organization_memberships', 'organization_memberships', 'Which users belong to which organizations.'),
  cursorList('macros', '/api/v2/macros', 'macros', 'Macros, shared and personal (an admin token sees every agent\'s personal macros).'),
  wholeList('custom_roles', '/api/v2/custom_roles', 'custom_roles', 'Custom agent roles and their permissions.', {
    requires: 'Support Enterprise or Suite Professional and up (custom agent roles)',
  }),
  cursorList('user_fields', '/api/v2/user_fields', 'user_fields', 'Custom user field definitions (the keys of users.user_fields).'),
  cursorList('organization_fields', '/api/v2/organization_fields', 'organization_fields', 'Custom organization field definitions (the keys of organizations.organization_fields).'),
  wholeList('ticket_forms', '/api/v2/ticket_forms', 'ticket_forms', 'Ticket forms and the fields each one shows.', {
    requires: 'Support Enterprise or Suite Growth and up (multiple ticket forms)',
  }),
  wholeList('schedules', '/api/v2/business_hours/schedules', 'schedules', 'Business-hours schedules with their intervals.', {
    requires: 'Support Professional or Suite Growth and up (business hours)',
  }),
  cursorList('views', '/api/v2/views', 'views', 'Views (saved ticket lists), shared and personal.'),
  cursorList('triggers', '/api/v2/triggers', 'triggers', 'Ticket triggers with their conditions and actions.'),
  cursorList('trigger_categories', '/api/v2/trigger_categories', 'trigger_categories', 'Categories that group ticket triggers.'),
  cursorList('automations', '/api/v2/automations', 'automations', 'Time-based automations with their conditions and actions.'),
  // Zendesk says GET /api/v2/ticket_audits "should not be used for capturing change data"
  // (OAS ListTicketAudits) and points to the ticket event export: each exported event is one audit.
  fromTicketEvents(
    'ticket_audits',
    'audits',
    'Ticket audits (every change set with its events), rebuilt from the incremental ticket event export: archived and deleted tickets included, no request of its own.',
  ),
  fromTicketEvents(
    'ticket_field_history',
    'field_history',
    'One row per ticket property set or changed (status, priority, assignee, tags, ...) with the new and previous value, who and when: from the ticket event export, no request of its own.',
  ),
  cursorList('ticket_activities', '/api/v2/activities', 'activities', 'Ticket activity notifications of the last 30 days for the authenticated agent.'),
  cursorList('ticket_skips', '/api/v2/skips', 'skips', 'Tickets agents skipped in guided mode, with the reason.'),
  cursorList('suspended_tickets', '/api/v2/suspended_tickets', 'suspended_tickets', 'Suspended tickets awaiting recovery or deletion.', {
    requires: 'Admin, or an agent allowed to manage suspended tickets',
  }),
  cursorList('deleted_tickets', '/api/v2/deleted_tickets', 'deleted_tickets', 'Soft-deleted tickets not yet scrubbed (about 30 days); the tickets stream keeps them too, with status "deleted".', {
    replicationKey: 'deleted_at',
    requires: 'Agent permission to view deleted tickets',
  }),
  cursorList('deleted_users', '/api/v2/deleted_users', 'deleted_users', 'Deleted users, permanently deleted ones with their personal data blanked.'),
  cursorList('recipient_addresses', '/api/v2/recipient_addresses', 'recipient_addresses', 'Support addresses (the email addresses tickets arrive at).'),
  wholeList('sharing_agreements', '/api/v2/sharing_agreements', 'sharing_agreements', 'Ticket sharing agreements with other Zendesk accounts.', fullTable),
  wholeList('targets', '/api/v2/targets', 'targets', 'Notification targets (legacy integrations; webhooks replace them).', fullTable),
  wholeList('target_failures', '/api/v2/target_failures', 'target_failures', 'The 25 most recent failures of each target.', fullTable),
  cursorList('webhooks', '/api/v2/webhooks', 'webhooks', 'Webhooks with their endpoints and subscriptions (signing secrets are not exposed).'),
  cursorList('dynamic_content_items', '/api/v2/dynamic_content/items', 'items', 'Dynamic content items with their variants per locale.'),
  wholeList('custom_statuses', '/api/v2/custom_statuses', 'custom_statuses', 'Custom ticket statuses (ticket custom_status_id points here).'),
  wholeList('satisfaction_reasons', '/api/v2/satisfaction_reasons', 'satisfaction_reasons', 'Reasons customers can give for a bad satisfaction rating.', {
    requires: 'CSAT reasons (Support Professional or Suite Growth and up)',
  }),
  wholeList('group_sla_policies', '/api/v2/group_slas/policies', 'group_sla_policies', 'Group SLA policies (group ownership time targets).', {
    requires: 'Support Professional or Suite Growth and up',
  }),
  wholeList('account_attributes', '/api/v2/routing/attributes', 'attributes', 'Skills-based routing attributes (the skill types).', { ...fullTable, requires: ROUTING }),
  {
    name: 'attribute_definitions',
    product: 'support',
    path: '/api/v2/routing/attributes/definitions',
    recordsKey: 'definitions',
    reshape: 'routing_attribute_definitions',
    paginator: 'single',
    // The API gives no id, and both lists usually offer the same conditions.
    primaryKey: ['condition', 'title'],
    requires: ROUTING,
    description: 'Conditions that can apply routing attributes to tickets, one row per condition (condition: all or any).',
  },
  {
    name: 'audit_logs',
    product: 'support',
    path: '/api/v2/audit_logs',
    recordsKey: 'audit_logs',
    // Newest first, stopping at the bookmark: the feed can hold years of changes.
    paginator: 'desc_feed',
    params: { sort: '-created_at' },
    pageSize: 100,
    primaryKey: ['id'],
    replicationKey: 'created_at',
    replicationKeyType: 'iso',
    filter: 'client',
    requires: 'Support Enterprise or Suite Professional and up (audit log)',
    description: 'Account audit log: who changed which setting or record, and when.',
  },
  wholeList('custom_objects', '/api/v2/custom_objects', 'custom_objects', 'Custom object definitions (legacy custom objects are not included).', { primaryKey: ['key'] }),
  {
    name: 'custom_object_records',
    product: 'support',
    path: '/api/v2/incremental/custom_objects/{custom_object_key}/cursor',
    recordsKey: 'custom_object_records',
    // One cursor export per custom object; deleted records keep their id for 30 days with values "[DELETED]".
    paginator: 'cursor_export',
    // Records change without their object definition changing: every object keeps its own export position.
    parent: { stream: 'custom_objects', fields: { custom_object_key: 'key' }, each: true },
    primaryKey: ['id'],
    replicationKey: 'updated_at',
    replicationKeyType: 'iso',
    filter: 'server',
    bucket: 'export',
    deletionMarker: 'name = "[DELETED]"',
    description: 'Records of every custom object, from the incremental record export of each object (one export per object).',
  },
  wholeList('workspaces', '/api/v2/workspaces', 'workspaces', 'Contextual workspaces (which form, apps and macros agents get per ticket condition).', {
    requires: 'Support Enterprise or Suite Professional and up (contextual workspaces)',
  }),
  wholeList('locales', '/api/v2/locales', 'locales', 'Languages enabled for the account.', fullTable),
  cursorList('organization_subscriptions', '/api/v2/organization_subscriptions', 'organization_subscriptions', 'Users following an organization\'s tickets.', fullTable),
  cursorList('sessions', '/api/v2/sessions', 'sessions', 'Active user sessions (admin token: all of the account).', fullTable),
  {
    name: 'account_settings',
    product: 'support',
    path: '/api/v2/account/settings',
    recordsKey: 'settings',
    reshape: 'account_singleton',
    paginator: 'single',
    primaryKey: ['settings_scope'],
    description: 'The account settings: one row, keyed by the constant `settings_scope` = "account" (an upsert keeps the latest).',
  },
  {
    name: 'side_conversation_events',
    product: 'support',
    // docs side_conversation_event/#incremental-side-conversation-event-export: start_time only, and an
    // answer of count, end_time, events, next_page: a time-based export with no documented page size.
    path: '/api/v2/tickets/side_conversations/events',
    recordsKey: 'events',
    paginator: 'time_export',
    pageSize: 1000,
    pageSizeParam: false,
    primaryKey: ['id'],
    replicationKey: 'created_at',
    replicationKeyType: 'iso',
    filter: 'server',
    selectedByDefault: false,
    requires: 'Side conversations (Suite Professional and up, or the Collaboration add-on); admin',
    description: 'Side conversation messages and changes (create, reply, update), from the incremental side conversation event export.',
  },
  {
    name: 'side_conversations',
    product: 'support',
    path: '/api/v2/tickets/{ticket_id}/side_conversations',
    recordsKey: 'side_conversations',
    // "List Side Conversations" documents no paging: the whole list comes at once (next_page followed if any).
    paginator: 'offset_list',
    // Every message and change of a side conversation is an event in Zendesk's incremental event export,
    // so the tickets to read come from there: no ticket needs to move (nothing says a side conversation
    // changes its ticket), and tickets without side conversation activity cost no request.
    parent: { stream: 'side_conversation_events', fields: { ticket_id: 'ticket_id' }, distinct: true },
    primaryKey: ['id'],
    replicationKey: 'updated_at',
    replicationKeyType: 'iso',
    filter: 'client',
    selectedByDefault: false,
    requires: 'Side conversations (Suite Professional and up, or the Collaboration add-on)',
    description: 'Side conversations of each ticket with side conversation activity (from the side conversation event export). Opt-in: one request per such ticket.',
  },
];
