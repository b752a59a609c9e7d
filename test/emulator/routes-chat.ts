import { epochOf } from './clock.js';
import type { Registry, RouteCtx } from './registry.js';
import type { Rec } from './data/collection.js';
import { microOf } from './data/chat.js';
import { hash32 } from './rng.js';

/**
 * Zendesk Chat at /api/v2/chat. Exports: start_time in seconds (agent_timeline:
 * microseconds) and at least 5 minutes old, `limit` <= 1000, no end marker,
 * ids only without `fields=<resource>(*)`. Lists answer bare arrays; agents
 * and bans page with since_id + limit; bans answer {ip_address, visitor}.
 */
export function addChatRoutes(r: Registry): void {
  const C = '/api/v2/chat';
  const store = (c: RouteCtx, name: string): Rec[] => c.data.chat.all(name);
  const isoTs = (field: string) => (x: Rec): number => epochOf(x[field] as string);
  // Chat ids are strings: the page order within a second needs a number.
  const strId = (x: Rec): number => hash32(...[...String(x.id)].map((ch) => ch.charCodeAt(0)));
  const scanBy = (rows: () => Rec[], tsOf: (x: Rec) => number) => (from: number) =>
    rows()
      .filter((x) => tsOf(x) >= from)
      .sort((a, b) => tsOf(a) - tsOf(b) || strId(a) - strId(b));

  const exportOf = (path: string, key: string, name: string, field: string): void => {
    r.chatExport(`${C}/incremental/${path}`, (c) => ({ key, scan: scanBy(() => store(c, name), isoTs(field)), tsOf: isoTs(field), idOf: strId }));
  };
  // docs /api-reference/live-chat/chat-api/incremental_export/: chats by update timestamp; start_time in seconds,
  // agent_timeline in microseconds; limit ≤ 1000; ids only without fields=<resource>(*). end_id in the answer:
  // assumption (zendesk-api.md §3.6 "unverified"); start_id is documented but not emulated.
  exportOf('chats', 'chats', 'chats', 'update_timestamp');
  exportOf('conversions', 'conversions', 'conversions', 'timestamp');
  exportOf('department_events', 'department_events', 'department_events', 'timestamp');
  const startUs = (x: Rec): number => microOf(x.start_time as string);
  const timelineId = (x: Rec): number => hash32(x.agent_id as number, startUs(x) % 4294967296);
  r.chatExport(
    `${C}/incremental/agent_timeline`,
    (c) => ({ key: 'agent_timeline', scan: (from) => store(c, 'agent_timeline').filter((x) => startUs(x) >= from).sort((a, b) => startUs(a) - startUs(b) || timelineId(a) - timelineId(b)), tsOf: startUs, idOf: timelineId }),
    { micro: true },
  );

  // Chat lists: since_id + limit for agents and bans (zendesk-api.md §3.6); the others unpaged bare arrays
  // (docs /api-reference/live-chat/chat-api/<resource>/ "List ...": no paging parameters).
  r.sinceId(`${C}/agents`, (c) => store(c, 'agents'));
  r.add(`${C}/bans`, (c) => {
    const since = Number(c.q.get('since_id') ?? 0) || 0;
    const limit = Math.min(1000, Math.max(1, Number(c.q.get('limit') ?? 10) || 10));
    const page = store(c, 'bans')
      .filter((b) => (b.id as number) > since)
      .sort((a, b) => (a.id as number) - (b.id as number))
      .slice(0, limit);
    return { ip_address: page.filter((b) => b.type === 'ip_address'), visitor: page.filter((b) => b.type === 'visitor') };
  });
  for (const [path, name] of [
    ['departments', 'departments'],
    ['shortcuts', 'shortcuts'],
    ['triggers', 'triggers'],
    ['goals', 'goals'],
    ['roles', 'roles'],
    ['skills', 'skills'],
  ] as const) {
    r.bare(`${C}/${path}`, (c) => store(c, name));
  }
  // One object, not wrapped.
  r.add(`${C}/account`, (c) => store(c, 'account')[0]!);
  r.add(`${C}/routing_settings/account`, (c) => ({ data: store(c, 'routing_settings')[0] }));
}
