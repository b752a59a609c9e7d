import { iso } from '../clock.js';
import { below, pick, unit } from '../rng.js';
import { ID } from './ids.js';
import type { Rec } from './collection.js';
import type { Builders } from './store.js';

// Shapes: docs /api-reference/live-chat/chat-api/ JSON formats; string ids and µs agent_timeline [doc] (zendesk-api.md §3.6).
/**
 * Zendesk Chat. Chat ids are strings like "2406.1234.QeUipU4eZOoO3";
 * timestamps are ISO strings (agent_timeline with microseconds). Lists answer
 * bare arrays; bans answer {ip_address: [...], visitor: [...]}.
 */

export const CHAT_START = Date.UTC(2024, 2, 1) / 1000;

/** Epoch microseconds as Chat's ISO form with six decimals. */
export function isoMicro(us: number): string {
  const s = Math.floor(us / 1e6);
  return `${iso(s).slice(0, -1)}.${String(us % 1e6).padStart(6, '0')}Z`;
}

export function microOf(isoString: string): number {
  const m = /\.(\d{1,6})Z$/.exec(isoString);
  const frac = m ? Number(m[1]!.padEnd(6, '0')) : 0;
  return Math.floor(Date.parse(isoString) / 1000) * 1e6 + frac;
}

export function chatId(seed: number, k: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let tail = '';
  for (let c = 0; c < 13; c++) tail += letters[below(letters.length, seed, 1201, k, c)];
  return `${2400 + (k % 90)}.${1000 + below(9000, seed, 1202, k)}.${tail}`;
}

export function chatBuilders(seed: number, chats: number): Builders {
  const agentIds = Array.from({ length: 9 }, (_, k) => ID.chatAgent + 1 + k * 7);
  const deptIds = [ID.chatConfig + 11, ID.chatConfig + 12, ID.chatConfig + 13, ID.chatConfig + 14];
  const goalIds = [ID.chatConfig + 31, ID.chatConfig + 32, ID.chatConfig + 33];
  const spacing = Math.max(30, Math.floor((86_400 * 200) / Math.max(1, chats)));
  const conversion = (k: number, chat: string, at: number): Rec => ({
    id: `${chat}.c${k}`,
    goal_id: goalIds[k % goalIds.length],
    goal_name: ['Purchase', 'Signup', 'Demo request'][k % 3],
    timestamp: iso(at),
    attribution: { agent_id: agentIds[k % agentIds.length], agent_name: `Agent ${k % agentIds.length}`, department_id: deptIds[k % 4], department_name: `Dept ${k % 4}`, chat_id: chat, chat_timestamp: iso(at - 600) },
  });
  return {
    chats: () =>
      Array.from({ length: chats }, (_, k) => {
        const id = chatId(seed, k);
        const start = CHAT_START + k * spacing + below(Math.floor(spacing / 2), seed, 1210, k);
        const duration = 60 + below(1800, seed, 1211, k);
        // A few chats updated in the same second (a bulk tag), most a while after they ended.
        const updated = k % 17 === 5 && k > 0 ? CHAT_START + (k - 1) * spacing + 7200 : start + duration + below(3600, seed, 1212, k);
        const offline = unit(seed, 1213, k) < 0.12;
        const agent = agentIds[k % agentIds.length]!;
        const dept = deptIds[k % deptIds.length]!;
        const visitorId = `${1000 + (k % 400)}.${below(1e6, seed, 1214, k)}`;
        const base: Rec = {
          id,
          type: offline ? 'offline_msg' : 'chat',
          timestamp: iso(start),
          update_timestamp: iso(Math.max(updated, start)),
          department_id: dept,
          department_name: `Dept ${deptIds.indexOf(dept)}`,
          deleted: k % 41 === 40,
          tags: unit(seed, 1215, k) < 0.3 ? ['pricing'] : [],
          zendesk_ticket_id: unit(seed, 1216, k) < 0.4 ? ID.ticket + 1 + (k % 250) : null,
          visitor: { id: visitorId, name: `Visitor ${k}`, email: k % 3 ? `visitor${k}@example.test` : '', phone: '', notes: '' },
          session: {
            id: `${visitorId}.s`, browser: pick(['Chrome', 'Firefox', 'Safari'], seed, 1217, k), city: 'Berlin', country_code: 'DE', country_name: 'Germany',
            end_date: iso(start + duration), ip: `198.51.100.${k % 250}`, platform: 'Mac OS', region: 'Land Berlin', start_date: iso(start), user_agent: 'Mozilla/5.0',
          },
          webpath: [{ from: 'https://www.acme.test/', to: 'https://www.acme.test/pricing', title: 'Pricing', timestamp: iso(start - 120) }],
        };
        if (offline) return { ...base, message: 'Please call me back tomorrow.', unread: k % 2 === 0 };
        return {
          ...base,
          end_timestamp: iso(start + duration),
          duration,
          agent_ids: [String(agent)],
          agent_names: [`Agent ${k % agentIds.length}`],
          comment: k % 5 === 0 ? 'Great help!' : null,
          rating: pick(['good', 'bad', null, null], seed, 1218, k),
          missed: k % 23 === 0,
          started_by: pick(['visitor', 'agent', 'trigger'], seed, 1219, k),
          triggered: false,
          triggered_response: k % 4 === 0,
          unread: false,
          count: { total: 8, agent: 4, visitor: 4 },
          response_time: { first: 10 + below(50, seed, 1220, k), max: 90, avg: 31.5 },
          conversions: k % 9 === 0 ? [conversion(k, id, start + duration)] : [],
          history: [
            { type: 'chat.memberjoin', name: `Visitor ${k}`, nick: `visitor:${visitorId}`, channel: `#${id}`, timestamp: iso(start) },
            { type: 'chat.msg', name: `Visitor ${k}`, nick: `visitor:${visitorId}`, channel: `#${id}`, msg: 'Hello, I need help', msg_id: String(1000 + k), options: '', timestamp: iso(start + 5) },
            { type: 'chat.msg', name: `Agent ${k % agentIds.length}`, nick: `agent:${agent}`, channel: `#${id}`, msg: 'Sure, how can I help?', msg_id: 2000 + k, timestamp: iso(start + 20) },
          ],
        };
      }),
    agent_timeline: () => {
      const out: Rec[] = [];
      agentIds.forEach((agentId, a) => {
        let us = (CHAT_START + a * 1800) * 1e6 + below(1e6, seed, 1230, a);
        for (let s = 0; s < 30; s++) {
          const duration = 300 + below(20_000, seed, 1231, a, s) + below(1000, seed, 1232, a, s) / 1000;
          out.push({ agent_id: agentId, start_time: isoMicro(us), status: pick(['online', 'away', 'invisible', 'offline'], seed, 1233, a, s), duration, engagement_count: below(4, seed, 1234, a, s) });
          us += Math.round(duration * 1e6) + below(600, seed, 1235, a, s) * 1e6;
        }
      });
      return out.sort((x, y) => microOf(x.start_time as string) - microOf(y.start_time as string));
    },
    conversions: () =>
      Array.from({ length: 24 }, (_, k) => conversion(k, chatId(seed, k * 9), CHAT_START + k * 86_400 * 7 + below(86_400, seed, 1240, k))).sort(
        (x, y) => Date.parse(x.timestamp as string) - Date.parse(y.timestamp as string),
      ),
    department_events: () =>
      Array.from({ length: 20 }, (_, k) => {
        const field = pick(['name', 'enabled', 'members', 'settings'], seed, 1250, k);
        return {
          id: `${deptIds[k % 4]}.de${k}`,
          department_id: deptIds[k % 4],
          field_name: field,
          value: field === 'enabled' ? k % 2 === 0 : field === 'members' ? agentIds.slice(0, 1 + (k % 4)) : field === 'settings' ? { chat_enabled: true } : `Dept ${k}`,
          previous_value: field === 'enabled' ? k % 2 === 1 : field === 'members' ? agentIds.slice(0, k % 4) : field === 'settings' ? { chat_enabled: false } : `Old dept ${k}`,
          timestamp: iso(CHAT_START + k * 86_400 * 9 + below(86_400, seed, 1251, k)),
        };
      }),
    agents: () =>
      agentIds.map((id, k) => ({
        id,
        email: `chat.agent${k}@acme.test`,
        display_name: `Agent ${k}`,
        first_name: `Agent`,
        last_name: String(k),
        enabled: k !== 8,
        role_id: ID.chatConfig + 51 + (k === 0 ? 0 : 1),
        roles: { owner: k === 0, administrator: k < 2 },
        departments: [deptIds[k % 4]],
        enabled_departments: [deptIds[k % 4]],
        skills: k % 2 ? [ID.chatConfig + 71] : [],
        scope: 'all',
        create_date: iso(CHAT_START - 86_400 * (100 - k)),
        last_login: iso(CHAT_START + 86_400 * k),
        login_count: 10 + k * 3,
      })),
    bans: () =>
      Array.from({ length: 9 }, (_, k) => {
        const ip = k % 3 !== 1;
        return {
          id: 100 + k * 3,
          type: ip ? 'ip_address' : 'visitor',
          ip_address: ip ? `192.0.2.${10 + k}` : '',
          visitor_id: ip ? '' : `${2000 + k}.${k * 7}`,
          visitor_name: ip ? '' : `Spammer ${k}`,
          reason: pick(['Spammer', 'Abusive', 'Bot'], seed, 1260, k),
          created_at: k === 0 ? null : iso(CHAT_START + k * 86_400 * 11),
        };
      }),
    departments: () =>
      deptIds.map((id, k) => ({
        id,
        name: ['Sales', 'Support', 'Billing', 'Partners'][k],
        description: `${['Sales', 'Support', 'Billing', 'Partners'][k]} team`,
        enabled: k !== 3,
        members: agentIds.filter((_, a) => a % 4 === k),
        settings: { chat_enabled: true, support_group_id: ID.group + 1 + k },
      })),
    shortcuts: () =>
      ['hi', 'bye', 'price', 'refund', 'wait'].map((name, k) => ({
        id: name,
        name,
        message: ['Hi! How can I help?', 'Thanks for chatting!', 'Our pricing is at acme.test/pricing', 'Refunds take 5 days', 'One moment please'][k],
        options: k === 0 ? 'Yes/No' : '',
        tags: k === 2 ? ['pricing'] : [],
        departments: k === 3 ? [deptIds[2]] : [],
        agents: [],
        scope: k === 3 ? 'departments' : 'all',
      })),
    triggers: () =>
      ['Greet new visitors', 'Pricing page offer', 'Returning visitor', 'Away message'].map((name, k) => ({
        id: ID.chatConfig + 91 + k,
        name,
        description: `${name} trigger`,
        enabled: k !== 3,
        departments: [],
        definition: { event: 'chat_requested', condition: ['and', ['eq', '@visitor_page_url', 'https://www.acme.test/pricing'], ['stillOnSite', 30]], actions: [['sendMessageToVisitor', 'Acme', `Hello (${k})`]], editor: 'advanced' },
      })),
    account: () => [
      {
        account_key: 'ACME1234chatKEY',
        status: 'active',
        create_date: iso(CHAT_START - 86_400 * 365),
        billing: { cycle: 1, email: 'billing@acme.test', company: 'Acme', first_name: 'Billing', last_name: 'Owner', country_code: 'US', phone: null, address1: '1 Road Runner Way', address2: null, city: 'Phoenix', state: 'AZ', postal_code: '85001', additional_info: null },
        plan: { name: 'enterprise', price: 59, max_agents: 50, max_departments: 'unlimited', max_concurrent_chats: 'unlimited', max_history_search_days: 'unlimited', max_basic_triggers: 'unlimited', max_advanced_triggers: 'unlimited', goals: 5, analytics: true, file_upload: true, rest_api: true, sla: true, support: true, unbranding: true, operating_hours: true, monitoring: true, agent_leaderboard: true, agent_reports: true, chat_reports: true, daily_reports: true, email_reports: true, high_load: true, integrations: true, ip_restriction: true, widget_customization: 'full', short_desc: 'Enterprise', long_desc: 'Enterprise plan' },
      },
    ],
    goals: () =>
      goalIds.map((id, k) => ({
        id,
        name: ['Purchase', 'Signup', 'Demo request'][k],
        description: `${['Purchase', 'Signup', 'Demo request'][k]} goal`,
        enabled: true,
        attribution_model: k === 1 ? 'last_touch' : 'first_touch',
        attribution_window: 30,
        attribution_period: 30,
        settings: { conditions: [{ operator: 'equals', type: 'url', value: `https://www.acme.test/thanks/${k}` }] },
      })),
    roles: () =>
      ['Owner', 'Agent', 'Team lead'].map((name, k) => ({
        id: ID.chatConfig + 51 + k,
        name,
        description: `${name} role`,
        enabled: true,
        members_count: k === 1 ? 7 : 1,
        permissions: { visitors_seen: 'account', proactive_chatting: 'listen-join', edit_visitor_information: true, edit_visitor_notes: true, view_past_chats: k === 1 ? 'department' : 'account', edit_chat_tags: true, manage_bans: k !== 1 ? 'account' : 'none', access_analytics: k === 1 ? 'none' : 'account', view_monitor: k !== 1 ? 'account' : 'none', edit_department_agents: k === 0 ? 'account' : 'none', set_agent_chat_limit: k !== 1 ? 'account' : 'none', manage_shortcuts: 'account' },
      })),
    routing_settings: () => [
      {
        routing_mode: 'assigned',
        chat_limit: { enabled: true, limit: 3, limit_type: 'account', allow_agent_override: false },
        skill_routing: { enabled: true, max_wait_time: 30 },
        reassignment: { enabled: true, timeout: 30 },
        auto_idle: { enabled: false, reassignments_before_idle: 3, new_status: 'away' },
      },
    ],
    skills: () =>
      ['German', 'Billing', 'Enterprise', 'Hardware'].map((name, k) => ({
        id: ID.chatConfig + 71 + k,
        name,
        description: `${name} skill`,
        enabled: k !== 3,
        members: agentIds.filter((_, a) => a % 2 === (k % 2)),
      })),
  };
}
