import { ACCOUNT_URL } from '../options.js';
import { iso } from '../clock.js';
import { below, unit } from '../rng.js';
import { ID } from './ids.js';
import type { Rec } from './collection.js';

// Shapes: OAS Group/Brand/TicketField/SLAPolicy/GroupMembership schemas; tags `{name, count}` [obs]; group
// memberships without updated_at [3p] (zendesk-api.md §2.3); custom_fields of every JSON type [3p] §3.10.
/** Small, fixed-size resources: generated eagerly, they are tiny. */

const CATALOG_EPOCH = Date.UTC(2022, 2, 1) / 1000;

function stamp(seed: number, salt: number, k: number): number {
  return CATALOG_EPOCH + k * 86_400 + below(80_000, seed, salt, k);
}

const GROUP_NAMES = ['Support', 'Billing', 'Tier 2', 'Onboarding', 'VIP', 'Escalations', 'Returns', 'Partners', 'APAC', 'EMEA'];

export function makeGroups(seed: number, count: number): Rec[] {
  return Array.from({ length: count }, (_, k) => {
    const id = ID.group + k + 1;
    const created = stamp(seed, 11, k);
    return {
      url: `${ACCOUNT_URL}/groups/${id}.json`,
      id,
      is_public: k !== 4,
      name: GROUP_NAMES[k % GROUP_NAMES.length] + (k >= GROUP_NAMES.length ? ` ${k}` : ''),
      description: k % 3 === 0 ? '' : `Handles ${GROUP_NAMES[k % GROUP_NAMES.length]!.toLowerCase()} requests`,
      default: k === 0,
      // One soft-deleted group: Zendesk marks rather than removes them.
      deleted: k === count - 1 && count > 2,
      created_at: iso(created),
      updated_at: iso(created + below(3_000_000, seed, 12, k)),
    };
  });
}

export function makeBrands(seed: number, count: number): Rec[] {
  const names = ['Acme', 'Acme Labs', 'Roadrunner Supply', 'Coyote Co'];
  return Array.from({ length: count }, (_, k) => {
    const id = ID.brand + k + 1;
    const name = names[k % names.length] + (k >= names.length ? ` ${k}` : '');
    const sub = k === 0 ? 'acme' : `acme${k}`;
    const created = stamp(seed, 21, k);
    return {
      url: `${ACCOUNT_URL}/brands/${id}.json`,
      id,
      name,
      brand_url: `https://${sub}.zendesk.com`,
      subdomain: sub,
      host_mapping: k === 1 ? 'help.acmelabs.test' : null,
      has_help_center: k !== 2,
      help_center_state: k === 2 ? 'disabled' : 'enabled',
      active: k !== 2,
      default: k === 0,
      is_deleted: false,
      logo: k === 0 ? { url: `${ACCOUNT_URL}/attachments/${id}.json`, id: id + 7, file_name: 'logo.png', content_url: `https://acme.zendesk.com/system/brands/${id}/logo.png`, content_type: 'image/png', size: 4016, width: 80, height: 80, inline: false, deleted: false, thumbnails: [] } : null,
      ticket_form_ids: [ID.ticketForm + 1],
      signature_template: '{{agent.signature}}',
      created_at: iso(created),
      updated_at: iso(created + below(5_000_000, seed, 22, k)),
    };
  });
}

export type CustomFieldKind = 'text' | 'integer' | 'checkbox' | 'multiselect' | 'decimal' | 'tagger' | 'date' | 'textarea';

export interface CustomFieldDef {
  id: number;
  type: CustomFieldKind;
  title: string;
  options?: string[];
}

export const CUSTOM_FIELDS: CustomFieldDef[] = [
  { id: ID.ticketField + 101, type: 'text', title: 'Order number' },
  { id: ID.ticketField + 102, type: 'integer', title: 'Seats' },
  { id: ID.ticketField + 103, type: 'checkbox', title: 'Escalated' },
  { id: ID.ticketField + 104, type: 'multiselect', title: 'Products', options: ['anvil', 'rocket_skates', 'giant_magnet', 'bird_seed'] },
  { id: ID.ticketField + 105, type: 'decimal', title: 'Refund amount' },
  { id: ID.ticketField + 106, type: 'tagger', title: 'Region', options: ['region_na', 'region_emea', 'region_apac'] },
  { id: ID.ticketField + 107, type: 'date', title: 'Renewal date' },
  { id: ID.ticketField + 108, type: 'textarea', title: 'Internal notes' },
];

/** A value of the field's kind, or null: real custom_fields mix all JSON types. */
export function customValue(def: CustomFieldDef, seed: number, i: number): unknown {
  const u = unit(seed, def.id, i);
  if (u < 0.25) return null;
  switch (def.type) {
    case 'text':
      return `ORD-${100000 + below(900000, seed, def.id, i, 1)}`;
    case 'integer':
      return 1 + below(500, seed, def.id, i, 1);
    case 'checkbox':
      return u < 0.6;
    case 'multiselect':
      return def.options!.filter((_, k) => unit(seed, def.id, i, k + 2) < 0.4);
    case 'decimal':
      return Math.round(unit(seed, def.id, i, 1) * 50000) / 100;
    case 'tagger':
      return def.options![below(def.options!.length, seed, def.id, i, 1)];
    case 'date':
      return iso(Date.UTC(2025, 0, 1) / 1000 + below(365, seed, def.id, i, 1) * 86400).slice(0, 10);
    case 'textarea':
      return u < 0.5 ? '' : 'Customer asked to be called back.\nPrefers mornings.';
  }
}

export function makeTicketFields(seed: number): Rec[] {
  const system = [
    ['subject', 'Subject'],
    ['description', 'Description'],
    ['status', 'Status'],
    ['tickettype', 'Type'],
    ['priority', 'Priority'],
    ['group', 'Group'],
    ['assignee', 'Assignee'],
  ] as const;
  const out: Rec[] = [];
  const base = (id: number, k: number, type: string, title: string, removable: boolean): Rec => {
    const created = stamp(seed, 31, k);
    return {
      url: `${ACCOUNT_URL}/ticket_fields/${id}.json`,
      id,
      type,
      title,
      raw_title: title,
      description: removable ? `${title} (custom)` : '',
      raw_description: removable ? `${title} (custom)` : '',
      position: k,
      active: true,
      required: false,
      collapsed_for_agents: false,
      regexp_for_validation: null,
      title_in_portal: title,
      raw_title_in_portal: title,
      visible_in_portal: !removable,
      editable_in_portal: !removable,
      required_in_portal: false,
      agent_can_edit: true,
      tag: null,
      created_at: iso(created),
      updated_at: iso(created + below(900_000, seed, 32, k)),
      removable,
      key: null,
      agent_description: null,
    };
  };
  system.forEach(([type, title], k) => out.push(base(ID.ticketField + k + 1, k, type, title, false)));
  CUSTOM_FIELDS.forEach((def, k) => {
    const f = base(def.id, system.length + k, def.type, def.title, true);
    if (def.options) {
      f.custom_field_options = def.options.map((value, o) => ({
        id: ID.fieldOption + def.id - ID.ticketField + o * 1000,
        name: value.replace(/_/g, ' '),
        raw_name: value.replace(/_/g, ' '),
        value,
        default: false,
      }));
    }
    if (def.type === 'integer') f.regexp_for_validation = '\\A[-+]?\\d+\\z';
    out.push(f);
  });
  return out;
}

export const TAG_NAMES = [
  'vip', 'billing', 'refund', 'bug', 'feature_request', 'urgent', 'renewal', 'churn_risk', 'onboarding', 'api',
  'mobile', 'web', 'email', 'phone', 'chat', 'sso', 'invoice', 'shipping', 'returns', 'outage',
  'feedback', 'partner', 'trial', 'enterprise', 'escalated',
];

/** `/tags` rows: ordered by use, most used first. */
export function makeTags(seed: number): Rec[] {
  return TAG_NAMES.map((name, k) => ({ name, count: 20 + below(4000, seed, 41, k) })).sort(
    (a, b) => b.count - a.count || a.name.localeCompare(b.name),
  );
}

export function makeSlaPolicies(seed: number): Rec[] {
  const plans = [
    ['Gold', 'urgent', 15],
    ['Silver', 'high', 60],
    ['Bronze', 'normal', 480],
  ] as const;
  return plans.map(([title, priority, target], k) => {
    const id = ID.slaPolicy + k + 1;
    const created = stamp(seed, 51, k);
    return {
      url: `${ACCOUNT_URL}/slas/policies/${id}.json`,
      id,
      title: `${title} Plan`,
      description: `Organizations: ${title} Plan`,
      position: k + 1,
      filter: {
        all: [{ field: 'priority', operator: 'is', value: priority }],
        any: k === 0 ? [{ field: 'current_tags', operator: 'includes', value: 'vip' }] : [],
      },
      policy_metrics: [
        { priority, metric: 'first_reply_time', target, business_hours: false },
        { priority, metric: 'requester_wait_time', target: target * 8, business_hours: true, target_in_seconds: target * 480 },
      ],
      created_at: iso(created),
      updated_at: iso(created + below(2_000_000, seed, 52, k)),
    };
  });
}

/** Agents are the first users; each belongs to one or two groups. */
export function makeGroupMemberships(seed: number, agentIds: number[], groupIds: number[]): Rec[] {
  const out: Rec[] = [];
  let k = 0;
  agentIds.forEach((userId, a) => {
    const count = unit(seed, 61, a) < 0.4 ? 2 : 1;
    for (let m = 0; m < count && m < groupIds.length; m++) {
      const id = ID.groupMembership + ++k;
      const created = stamp(seed, 62, k);
      const row: Rec = {
        url: `${ACCOUNT_URL}/group_memberships/${id}.json`,
        id,
        user_id: userId,
        group_id: groupIds[(a + m) % groupIds.length],
        default: m === 0,
        created_at: iso(created),
      };
      // Some real rows carry no updated_at at all.
      if (k % 5 !== 0) row.updated_at = iso(created + below(86_400 * 30, seed, 63, k));
      out.push(row);
    }
  });
  return out;
}
