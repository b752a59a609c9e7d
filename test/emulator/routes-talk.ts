import { epochOf } from './clock.js';
import type { Registry, RouteCtx } from './registry.js';
import { arraySource } from './pagination.js';
import type { Rec } from './data/collection.js';

/**
 * Talk (Voice), under /api/v2/channels/voice. The call and leg exports page by
 * time with a server-fixed page of 1000 and never say they are done: the
 * caught-up page repeats its boundary records (several legs of one call share
 * a second). Lists use offset paging; stats snapshots are single objects.
 */
export function addTalkRoutes(r: Registry): void {
  const V = '/api/v2/channels/voice';
  const store = (c: RouteCtx, name: string): Rec[] => c.data.talk.all(name);
  const updatedAt = (x: Rec): number => epochOf(x.updated_at as string);
  const byUpdate = (rows: Rec[], from: number): Rec[] =>
    rows.filter((x) => updatedAt(x) >= from).sort((a, b) => updatedAt(a) - updatedAt(b) || (a.id as number) - (b.id as number));

  r.countExport(`${V}/stats/incremental/calls`, (c) => ({ key: 'calls', scan: (from) => byUpdate(store(c, 'calls'), from), tsOf: updatedAt }))
    .countExport(`${V}/stats/incremental/legs`, (c) => ({ key: 'legs', scan: (from) => byUpdate(store(c, 'legs'), from), tsOf: updatedAt }));

  // Talk lists: offset paging (docs /documentation/api-basics/pagination/paginating-through-lists: offset pagination
  // "supported by ... Talk API"); stats snapshots and settings are single objects (docs talk-api/stats/, talk-api/voice_settings/).
  for (const [path, key, name] of [
    ['/addresses', 'addresses', 'addresses'],
    ['/greeting_categories', 'greeting_categories', 'greeting_categories'],
    ['/greetings', 'greetings', 'greetings'],
    ['/ivr', 'ivrs', 'ivrs'],
    ['/phone_numbers', 'phone_numbers', 'phone_numbers'],
    ['/lines', 'lines', 'lines'],
  ] as const) {
    r.list(`${V}${path}`, key, (c) => arraySource(() => store(c, name)), { paging: 'offset' });
  }
  r.list(`${V}/stats/agents_activity`, 'agents_activity', (c) => arraySource(() => store(c, 'agents_activity'), (x) => String(x.agent_id)), { paging: 'offset' });
  for (const name of ['agents_overview', 'account_overview', 'current_queue_activity'] as const) {
    r.single(`${V}/stats/${name}`, name, (c) => store(c, name)[0]);
  }
  r.single(`${V}/settings`, 'settings', (c) => store(c, 'talk_settings')[0]);
}
