/**
 * Zendesk Chat, at https://{subdomain}.zendesk.com/api/v2/chat. Chat has its
 * own OAuth token (`chat_credentials.access_token`), sent on the `chat` bucket.
 *
 * Exports: `start_time` in seconds (agent_timeline: microseconds), at least
 * 5 minutes old, `limit` <= 1000, no end marker (stop on a short page), and
 * records come back as bare ids unless `fields=<resource>(*)` is sent.
 * Lists answer a bare JSON array (`recordsKey: ''`).
 */
import type { StreamDescriptor } from '../descriptor.js';

const CHAT = 'Chat enabled, read with a Chat OAuth token (chat_credentials)';
const CHAT_EXPORT_LIMIT = 1000;

function chatExport(name: string, resource: string, replicationKey: string, description: string, extra: Partial<StreamDescriptor> = {}): StreamDescriptor {
  return {
    name,
    product: 'chat',
    path: `/api/v2/chat/incremental/${resource}`,
    recordsKey: resource,
    paginator: 'count_export',
    // Without fields=<resource>(*) every record is just {id}.
    params: { fields: `${resource}(*)` },
    pageSize: CHAT_EXPORT_LIMIT,
    primaryKey: ['id'],
    replicationKey,
    replicationKeyType: 'iso',
    filter: 'server',
    bucket: 'chat',
    requires: CHAT,
    description,
    ...extra,
  };
}

function chatList(name: string, path: string, description: string, extra: Partial<StreamDescriptor> = {}): StreamDescriptor {
  return {
    name,
    product: 'chat',
    path: `/api/v2/chat/${path}`,
    recordsKey: '',
    paginator: 'single',
    primaryKey: ['id'],
    bucket: 'chat',
    requires: CHAT,
    description,
    ...extra,
  };
}

export const chat: StreamDescriptor[] = [
  chatExport('chats', 'chats', 'update_timestamp', 'Chats and offline messages (type says which) with their history, from the incremental chat export.', {
    deletionMarker: 'deleted',
  }),
  chatExport('agent_timeline', 'agent_timeline', 'start_time', 'Agent status spans (online, away, invisible) with durations, from the incremental agent timeline export.', {
    primaryKey: ['agent_id', 'start_time'],
    // Records carry start_time as ISO text; the export's start_time parameter and end_time are
    // epoch microseconds, and so is the bookmark (the shape Airbyte's source-zendesk-chat keeps).
    replicationKeyType: 'epoch_us',
  }),
  chatExport('chat_conversions', 'conversions', 'timestamp', 'Goal conversions with their attribution, from the incremental conversion export.'),
  chatExport('chat_department_events', 'department_events', 'timestamp', 'Department setting changes (field, old and new value), from the incremental department event export.'),
  chatList('agents', 'agents', 'Chat agents. Incremental on id (since_id paging), as Chat offers no update time: new agents only after the first sync.', {
    paginator: 'since_id',
    pageSize: 100,
    replicationKey: 'id',
    replicationKeyType: 'epoch',
  }),
  chatList('bans', 'bans', 'Visitor and IP address bans (type says which).', {
    recordsKey: 'bans',
    reshape: 'chat_bans',
    paginator: 'since_id',
    pageSize: 100,
  }),
  chatList('departments', 'departments', 'Chat departments with their members.'),
  chatList('shortcuts', 'shortcuts', 'Canned responses (shortcuts) agents can insert.', { primaryKey: ['name'] }),
  chatList('chat_triggers', 'triggers', 'Chat triggers (automated messages and actions).', { primaryKey: ['name'] }),
  chatList('accounts', 'account', 'The Chat account (plan, billing, status), one row.', { primaryKey: ['account_key'] }),
  chatList('goals', 'goals', 'Conversion goals.'),
  chatList('roles', 'roles', 'Chat agent roles and their permissions.'),
  chatList('routing_settings', 'routing_settings/account', 'Account chat routing settings: one row, keyed by the constant `settings_scope` = "account" (an upsert keeps the latest).', {
    recordsKey: 'data',
    reshape: 'account_singleton',
    primaryKey: ['settings_scope'],
  }),
  chatList('skills', 'skills', 'Chat routing skills with their members.'),
];
