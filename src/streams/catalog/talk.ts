/**
 * Zendesk Talk (Voice): the call and leg exports, the configuration lists and
 * the stats snapshots. Everything lives under /api/v2/channels/voice.
 */
import type { StreamDescriptor } from '../descriptor.js';

const TALK = 'Talk enabled on the account';

/**
 * The server's fixed page size for the calls/legs exports (no per_page
 * parameter). They never signal the end and the caught-up page repeats its
 * boundary records, so the only stop rule is a page shorter than this.
 */
const TALK_EXPORT_PAGE = 1000;

function talkList(name: string, path: string, recordsKey: string, description: string, extra: Partial<StreamDescriptor> = {}): StreamDescriptor {
  return {
    name,
    product: 'talk',
    path: `/api/v2/channels/voice${path}`,
    recordsKey,
    paginator: 'offset_list',
    primaryKey: ['id'],
    bucket: 'talk',
    requires: TALK,
    description,
    ...extra,
  };
}

/** A stats snapshot: one object per read, stamped with `current_timestamp`, its key (one row per snapshot). */
function snapshot(name: string, description: string): StreamDescriptor {
  return {
    name,
    product: 'talk',
    path: `/api/v2/channels/voice/stats/${name}`,
    recordsKey: name,
    reshape: 'talk_snapshot',
    paginator: 'single',
    primaryKey: ['current_timestamp'],
    bucket: 'talk',
    requires: TALK,
    description,
  };
}

function talkExport(name: string, path: string, recordsKey: string, description: string): StreamDescriptor {
  return {
    name,
    product: 'talk',
    path: `/api/v2/channels/voice/stats/incremental/${path}`,
    recordsKey,
    paginator: 'count_export',
    pageSize: TALK_EXPORT_PAGE,
    primaryKey: ['id'],
    replicationKey: 'updated_at',
    replicationKeyType: 'iso',
    filter: 'server',
    bucket: 'export',
    requires: TALK,
    description,
  };
}

export const talk: StreamDescriptor[] = [
  talkExport('calls', 'calls', 'calls', 'Calls with their durations, queue and IVR details, from the incremental call export.'),
  talkExport('call_legs', 'legs', 'legs', 'Call legs (each agent or customer part of a call), from the incremental leg export.'),
  talkList('addresses', '/addresses', 'addresses', 'Addresses registered for phone numbers (regulatory).'),
  talkList('greeting_categories', '/greeting_categories', 'greeting_categories', 'Greeting categories (voicemail, available, wait, hold, ...).'),
  talkList('greetings', '/greetings', 'greetings', 'Greetings, system (string ids) and custom (integer ids).'),
  talkList('ivrs', '/ivr', 'ivrs', 'IVRs (phone menus) with their menus and routes embedded.'),
  {
    name: 'ivr_menus',
    product: 'talk',
    path: '/api/v2/channels/voice/ivr',
    recordsKey: 'ivrs',
    paginator: 'offset_list',
    primaryKey: ['id'],
    derivedFrom: { stream: 'ivrs', extractor: 'ivr_menus' },
    description: 'IVR menus, one row per menu with its ivr_id (from the IVR list, no request of its own).',
  },
  {
    name: 'ivr_routes',
    product: 'talk',
    path: '/api/v2/channels/voice/ivr',
    recordsKey: 'ivrs',
    paginator: 'offset_list',
    primaryKey: ['id'],
    derivedFrom: { stream: 'ivrs', extractor: 'ivr_routes' },
    description: 'IVR menu routes (keypress -> action), with ivr_id and ivr_menu_id (from the IVR list, no request of its own).',
  },
  talkList('phone_numbers', '/phone_numbers', 'phone_numbers', 'Talk phone numbers with their routing settings.'),
  talkList('lines', '/lines', 'lines', 'Phone numbers and digital lines (line_type says which).'),
  talkList('agents_activity', '/stats/agents_activity', 'agents_activity', "Today's activity per agent (calls, talk time, status).", { primaryKey: ['agent_id'] }),
  snapshot('agents_overview', "Today's agent totals and averages, one row per sync, keyed by `current_timestamp` (when it was read)."),
  snapshot('account_overview', "Today's account-wide call totals and averages, one row per sync, keyed by `current_timestamp` (when it was read)."),
  snapshot('current_queue_activity', 'The call queue right now (calls waiting, agents online), one row per sync, keyed by `current_timestamp` (when it was read).'),
  {
    name: 'talk_settings',
    product: 'talk',
    path: '/api/v2/channels/voice/settings',
    recordsKey: 'settings',
    reshape: 'account_singleton',
    paginator: 'single',
    primaryKey: ['settings_scope'],
    bucket: 'talk',
    requires: TALK,
    description: 'The Talk settings of the account: one row, keyed by the constant `settings_scope` = "account" (an upsert keeps the latest).',
  },
];
