import { ACCOUNT_URL } from '../options.js';
import { iso } from '../clock.js';
import { below, pick } from '../rng.js';
import { ID } from './ids.js';
import type { Rec } from './collection.js';
import type { Builders } from './store.js';
import { ulid, uuid } from './store.js';
import { TAG_NAMES } from './catalog.js';

// Shapes: the OAS schema of each resource (the "JSON format" tables of its docs page); values invented.
/**
 * The rest of Support: configuration lists (macros, views, triggers, ...),
 * routing, audit log, custom objects and their records, and the account
 * settings. Small and fixed-size, so generated eagerly on first use; the
 * streams derived from tickets and users live in dataset.ts.
 */

const EPOCH = Date.UTC(2022, 5, 1) / 1000;

/** created/updated pair of the k-th item of a resource, 2022-06 .. 2024. */
function times(seed: number, salt: number, k: number, spread = 86_400 * 400): { created: number; updated: number } {
  const created = EPOCH + k * 86_400 * 3 + below(80_000, seed, salt, k);
  return { created, updated: created + below(spread, seed, salt + 1, k) };
}

const stamps = (t: { created: number; updated: number }): Rec => ({ created_at: iso(t.created), updated_at: iso(t.updated) });

export const CUSTOM_STATUS_CATEGORIES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;

export const CUSTOM_OBJECTS = [
  { key: 'car', title: 'Car', plural: 'Cars', records: 45, fields: (k: number) => ({ make: pick(['Acme', 'Roadster', 'Coyote'], k), model: `M${k % 7}`, year: 2015 + (k % 10), vin: `1HGCM82633A${String(100000 + k)}` }) },
  { key: 'apartment', title: 'Apartment', plural: 'Apartments', records: 12, fields: (k: number) => ({ street: `${10 + k} Main St`, floor: k % 5, furnished: k % 2 === 0, rent: 900 + k * 35.5 }) },
] as const;

export function supportBuilders(seed: number, agents: number[], groups: number[], users: () => number[]): Builders {
  const agent = (k: number): number => agents[k % agents.length]!;
  const group = (k: number): number => groups[k % Math.max(1, groups.length)]!;
  return {
    macros: () =>
      Array.from({ length: 14 }, (_, k) => {
        const id = ID.macro + k + 1;
        const personal = k % 5 === 4;
        return {
          url: `${ACCOUNT_URL}/macros/${id}.json`,
          id,
          title: pick(['Close and thank', 'Escalate to Tier 2', 'Ask for logs', 'Refund approved', 'Shipping delay', 'Password reset steps', 'Duplicate ticket'], seed, 801, k) + ` ${k + 1}`,
          active: k % 6 !== 5,
          default: false,
          position: k + 1,
          description: k % 3 === 0 ? null : 'Used by the support team',
          actions: [
            { field: 'status', value: pick(['solved', 'pending', 'open'], seed, 802, k) },
            { field: 'comment_value_html', value: '<p>Thanks for reaching out!</p>' },
            ...(k % 2 ? [{ field: 'current_tags', value: pick(TAG_NAMES, seed, 803, k) }] : []),
          ],
          restriction: personal ? { type: 'User', id: agent(k), ids: [agent(k)] } : k % 4 === 1 ? { type: 'Group', id: group(k), ids: [group(k)] } : null,
          // The OAS says string; real values are objects or null (schema keeps them free-form).
          app_installation: null,
          categories: null,
          permissions: { can_edit: !personal },
          usage_1h: below(5, seed, 804, k),
          usage_24h: below(40, seed, 805, k),
          usage_7d: below(200, seed, 806, k),
          usage_30d: below(900, seed, 807, k),
          ...stamps(times(seed, 808, k)),
        };
      }),
    custom_roles: () =>
      ['Light agent', 'Team lead', 'Billing admin', 'Contractor'].map((name, k) => ({
        id: ID.customRole + k + 1,
        name,
        description: `${name} role`,
        role_type: k === 0 ? 1 : 0,
        team_member_count: 1 + below(12, seed, 811, k),
        configuration: {
          chat_access: k !== 3,
          end_user_profile_access: pick(['readonly', 'edit', 'full'], seed, 812, k),
          ticket_access: pick(['all', 'within-groups', 'assigned-only'], seed, 813, k),
          ticket_editing: k !== 0,
          view_deleted_tickets: k === 2,
          macro_access: 'full',
          manage_business_rules: k === 1,
          voice_access: k < 2,
        },
        ...stamps(times(seed, 814, k)),
      })),
    user_fields: () => fieldDefs(seed, 'user_fields', ID.userField, [
      ['dropdown', 'plan', 'Plan', ['free', 'team', 'enterprise']],
      ['decimal', 'lifetime_value', 'Lifetime value'],
      ['checkbox', 'beta_tester', 'Beta tester'],
      ['date', 'contract_end', 'Contract end'],
    ]),
    organization_fields: () => fieldDefs(seed, 'organization_fields', ID.orgField, [
      ['dropdown', 'tier', 'Tier', ['gold', 'silver', 'bronze']],
      ['integer', 'seats', 'Seats'],
      ['checkbox', 'renewal_auto', 'Renews automatically'],
      ['multiselect', 'regions', 'Regions', ['na', 'emea', 'apac']],
    ]),
    ticket_forms: () =>
      ['Default form', 'Billing request', 'Bug report'].map((name, k) => {
        const id = ID.ticketForm + k + 1;
        return {
          url: `${ACCOUNT_URL}/ticket_forms/${id}.json`,
          id,
          name,
          raw_name: name,
          display_name: k === 0 ? 'Submit a request' : name,
          raw_display_name: k === 0 ? 'Submit a request' : name,
          position: k + 1,
          active: true,
          default: k === 0,
          end_user_visible: k !== 2,
          in_all_brands: k === 0,
          restricted_brand_ids: k === 0 ? [] : [ID.brand + 1],
          ticket_field_ids: [ID.ticketField + 1, ID.ticketField + 2, ID.ticketField + 3, ...(k > 0 ? [ID.ticketField + 101 + k] : [])],
          agent_conditions: k === 2 ? [{ parent_field_id: ID.ticketField + 103, value: true, child_fields: [{ id: ID.ticketField + 104, is_required: false }] }] : [],
          end_user_conditions: [],
          ...stamps(times(seed, 821, k)),
        };
      }),
    schedules: () =>
      [['Americas', 'Eastern Time (US & Canada)'], ['EMEA', 'London']].map(([name, zone], k) => ({
        id: ID.schedule + k + 1,
        name,
        time_zone: zone,
        // Minutes since Sunday midnight, Monday to Friday 9-17.
        intervals: [1, 2, 3, 4, 5].map((d) => ({ start_time: d * 1440 + 540, end_time: d * 1440 + 1020 })),
        ...stamps(times(seed, 831, k)),
      })),
    views: () =>
      Array.from({ length: 11 }, (_, k) => {
        const id = ID.view + k + 1;
        const title = pick(['Unassigned tickets', 'Your unsolved tickets', 'Pending tickets', 'Recently updated', 'VIP queue', 'Billing', 'Escalations', 'Suspended review'], seed, 841, k) + (k > 7 ? ` ${k}` : '');
        return {
          url: `${ACCOUNT_URL}/views/${id}.json`,
          id,
          title,
          raw_title: title,
          active: k !== 9,
          position: k + 1,
          default: k < 3,
          description: null,
          restriction: k % 4 === 3 ? { type: 'Group', id: group(k), ids: [group(k)] } : null,
          execution: {
            group_by: k % 2 ? 'status' : null,
            group_order: 'asc',
            sort_by: 'updated_at',
            sort_order: 'desc',
            columns: [{ id: 'subject', title: 'Subject' }, { id: 'requester', title: 'Requester' }, { id: 'updated', title: 'Updated' }],
            fields: [{ id: 'subject', title: 'Subject' }],
            custom_fields: [],
          },
          conditions: {
            all: [{ field: 'status', operator: 'less_than', value: 'solved' }],
            any: k % 3 === 0 ? [{ field: 'assignee_id', operator: 'is', value: 'current_user' }] : [],
          },
          ...stamps(times(seed, 842, k)),
        };
      }),
    trigger_categories: () =>
      ['Notifications', 'Routing', 'Escalation'].map((name, k) => ({
        id: String(10_000 + k),
        name,
        position: k,
        ...stamps(times(seed, 851, k)),
      })),
    triggers: () =>
      Array.from({ length: 16 }, (_, k) => {
        const id = ID.trigger + k + 1;
        const title = pick(['Notify requester of received request', 'Notify assignee of comment update', 'Route billing to Billing', 'Auto-tag VIP', 'Escalate urgent', 'Notify group of assignment'], seed, 852, k) + ` ${k + 1}`;
        return {
          url: `${ACCOUNT_URL}/triggers/${id}.json`,
          id,
          title,
          raw_title: title,
          active: k % 7 !== 6,
          position: k + 1,
          default: k < 2,
          description: k % 2 ? null : 'Managed by the admin team',
          category_id: String(10_000 + (k % 3)),
          conditions: {
            all: [{ field: 'update_type', operator: 'is', value: k % 2 ? 'Change' : 'Create' }],
            any: [{ field: 'current_tags', operator: 'includes', value: pick(TAG_NAMES, seed, 853, k) }],
          },
          actions: [
            { field: 'notification_user', value: ['requester_id', 'Request received', 'We got your request.'] },
            ...(k % 3 === 0 ? [{ field: 'group_id', value: String(group(k)) }] : []),
          ],
          ...stamps(times(seed, 854, k)),
        };
      }),
    automations: () =>
      Array.from({ length: 5 }, (_, k) => {
        const id = ID.automation + k + 1;
        const title = ['Close ticket 4 days after status is set to solved', 'Pending notification 24 hours', 'Pending notification 5 days', 'Escalate stale urgent', 'Remind on hold'][k]!;
        return {
          url: `${ACCOUNT_URL}/automations/${id}.json`,
          id,
          title,
          raw_title: title,
          active: k !== 4,
          position: k + 1,
          default: k === 0,
          conditions: {
            all: [
              { field: 'status', operator: 'is', value: k === 0 ? 'solved' : 'pending' },
              { field: k === 0 ? 'SOLVED' : 'PENDING', operator: 'greater_than', value: String(24 * (k + 1)) },
            ],
            any: [],
          },
          actions: [{ field: 'status', value: k === 0 ? 'closed' : 'open' }],
          ...stamps(times(seed, 861, k)),
        };
      }),
    suspended_tickets: () =>
      Array.from({ length: 9 }, (_, k) => {
        const id = ID.suspended + k + 1;
        const cause = pick(['Detected as spam', 'Automated response mail', 'Received from support address', 'Sender domain not on allowlist'], seed, 871, k);
        return {
          url: `${ACCOUNT_URL}/suspended_tickets/${id}.json`,
          id,
          author: { id: null, name: `Sender ${k}`, email: `sender${k}@spam${k % 3}.test` },
          subject: k % 4 === 0 ? 'Out of office' : `Cheap anvils ${k}`,
          content: 'This message was suspended.',
          cause,
          cause_id: 1 + below(12, seed, 872, k),
          message_id: `<msg-${k}@mail.spam.test>`,
          ticket_id: null,
          recipient: 'support@acme.zendesk.com',
          via: { channel: 'email', source: { from: { address: `sender${k}@spam.test`, name: `Sender ${k}` }, to: {}, rel: null } },
          brand_id: ID.brand + 1,
          attachments: [],
          error_messages: null,
          ...stamps(times(seed, 873, k + 300, 86_400 * 2)),
        };
      }),
    deleted_users: () =>
      Array.from({ length: 7 }, (_, k) => {
        const id = ID.user + 900_000 + k + 1;
        const permanent = k % 3 === 2;
        return {
          url: `${ACCOUNT_URL}/deleted_users/${id}.json`,
          id,
          name: permanent ? 'Permanently Deleted User' : `Former User ${k + 1}`,
          email: permanent ? null : `former${k + 1}@example.test`,
          phone: null,
          shared_phone_number: null,
          photo: null,
          locale: 'en-US',
          locale_id: 1,
          time_zone: 'Pacific Time (US & Canada)',
          organization_id: null,
          role: k === 0 ? 'agent' : 'end-user',
          active: false,
          ...stamps(times(seed, 881, k + 200)),
        };
      }),
    recipient_addresses: () =>
      ['support@acme.zendesk.com', 'billing@acme.test', 'help@acmelabs.test'].map((email, k) => ({
        id: ID.recipientAddress + k + 1,
        brand_id: ID.brand + 1 + (k === 2 ? 1 : 0),
        email,
        name: ['Acme Support', 'Acme Billing', 'Acme Labs Help'][k],
        default: k === 0,
        forwarding_status: k === 0 ? 'verified' : 'waiting',
        spf_status: k === 0 ? 'verified' : 'unknown',
        cname_status: k === 0 ? 'verified' : 'unknown',
        domain_verification_status: k === 0 ? 'verified' : 'unverified',
        domain_verification_code: k === 0 ? null : `zendesk_verification_${k}`,
        dns_results: null,
        ...stamps(times(seed, 891, k)),
      })),
    sharing_agreements: () =>
      ['Partner helpdesk', 'Acme Labs'].map((name, k) => {
        const id = ID.sharingAgreement + k + 1;
        return {
          url: `${ACCOUNT_URL}/sharing_agreements/${id}.json`,
          id,
          name,
          type: k === 0 ? 'inbound' : 'outbound',
          status: k === 0 ? 'accepted' : 'pending',
          partner_name: k === 0 ? null : 'jira',
          remote_subdomain: k === 0 ? 'partner' : 'acmelabs',
          ...stamps(times(seed, 901, k)),
        };
      }),
    targets: () => [
      { id: ID.target + 1, type: 'email_target', title: 'Notify ops', active: true, email: 'ops@acme.test', subject: 'Ticket {{ticket.id}}', created_at: iso(times(seed, 911, 0).created) },
      { id: ID.target + 2, type: 'url_target_v2', title: 'Status page hook', active: true, target_url: 'https://status.acme.test/hook', method: 'post', content_type: 'application/json', username: null, password: null, created_at: iso(times(seed, 911, 1).created) },
      { id: ID.target + 3, type: 'http_target', title: 'Legacy CRM', active: false, target_url: 'https://crm.acme.test/zendesk', method: 'put', content_type: 'application/xml', created_at: iso(times(seed, 911, 2).created) },
    ],
    target_failures: () =>
      Array.from({ length: 5 }, (_, k) => {
        const id = ID.targetFailure + k + 1;
        return {
          url: `${ACCOUNT_URL}/target_failures/${id}.json`,
          id,
          target_name: k % 2 ? 'Legacy CRM' : 'Status page hook',
          status_code: pick([401, 404, 500, 502, 504], seed, 921, k),
          consecutive_failure_count: 1 + k,
          raw_request: `POST /hook HTTP/1.1\r\nHost: status.acme.test\r\n\r\n{"ticket":${ID.ticket + k + 1}}`,
          raw_response: 'HTTP/1.1 502 Bad Gateway\r\n\r\n',
          created_at: iso(times(seed, 922, k + 500).created),
        };
      }),
    webhooks: () =>
      ['Slack bridge', 'Data lake feed', 'Pager'].map((name, k) => ({
        id: ulid(seed, 931, k),
        name,
        description: k === 1 ? 'Sends ticket events to the lake' : null,
        status: k === 2 ? 'inactive' : 'active',
        endpoint: `https://hooks.acme.test/${k}`,
        http_method: 'POST',
        request_format: 'json',
        subscriptions: k === 1 ? ['zen:event-type:ticket.created', 'zen:event-type:ticket.status_changed'] : ['conditional_ticket_events'],
        authentication: k === 0 ? { type: 'bearer_token', add_position: 'header' } : null,
        custom_headers: k === 1 ? { 'x-source': 'zendesk' } : {},
        signing_secret: null,
        external_source: null,
        created_by: String(agent(0)),
        updated_by: String(agent(k)),
        ...stamps(times(seed, 932, k)),
      })),
    dynamic_content_items: () =>
      ['Greeting', 'Signature', 'Out of office', 'Refund policy', 'Shipping times', 'Holiday notice'].map((name, k) => {
        const id = ID.dynamicContent + k + 1;
        const t = times(seed, 941, k);
        return {
          url: `${ACCOUNT_URL}/dynamic_content/items/${id}.json`,
          id,
          name,
          placeholder: `{{dc.${name.toLowerCase().replace(/ /g, '_')}}}`,
          default_locale_id: 1,
          outdated: k === 3,
          variants: [1, 8].map((locale, v) => ({
            url: `${ACCOUNT_URL}/dynamic_content/items/${id}/variants/${id * 10 + v}.json`,
            id: id * 10 + v,
            content: v === 0 ? `${name} (en)` : `${name} (de)`,
            locale_id: locale,
            outdated: false,
            active: true,
            default: v === 0,
            created_at: iso(t.created),
            updated_at: iso(t.updated),
          })),
          ...stamps(t),
        };
      }),
    custom_statuses: () =>
      CUSTOM_STATUS_CATEGORIES.map((category, k) => {
        const label = category[0]!.toUpperCase() + category.slice(1);
        return {
          id: ID.customStatus + k + 1,
          status_category: category,
          agent_label: label,
          raw_agent_label: label,
          end_user_label: category === 'hold' || category === 'pending' ? 'Awaiting your reply' : label,
          raw_end_user_label: label,
          description: `${label} tickets`,
          raw_description: `${label} tickets`,
          end_user_description: null,
          raw_end_user_description: null,
          active: true,
          default: true,
          ...stamps(times(seed, 951, k)),
        };
      }),
    satisfaction_reasons: () =>
      ['No reason provided', 'The issue took too long to resolve', "The issue was not resolved", "The agent's knowledge is unsatisfactory", "The agent's attitude is unsatisfactory"].map((value, k) => {
        const id = 360000000 + k;
        return {
          url: `${ACCOUNT_URL}/satisfaction_reasons/${id}.json`,
          id,
          value,
          raw_value: value,
          reason_code: k === 0 ? 0 : 100 + k,
          deleted_at: null,
          ...stamps(times(seed, 961, k)),
        };
      }),
    group_sla_policies: () =>
      ['Tier 1 ownership', 'Escalations ownership'].map((title, k) => ({
        url: `${ACCOUNT_URL}/group_slas/policies/${ulid(seed, 971, k)}.json`,
        id: ulid(seed, 971, k),
        title,
        description: `${title} targets`,
        position: k + 1,
        filter: { all: [{ field: 'group_id', operator: 'includes', value: [group(k)] }] },
        policy_metrics: ['urgent', 'high', 'normal', 'low'].map((priority, p) => ({ priority, metric: 'group_ownership_time', target: 3600 * (p + 1) * (k + 1), business_hours: k === 1 })),
        ...stamps(times(seed, 972, k)),
      })),
    account_attributes: () =>
      ['Language', 'Product expertise', 'Region'].map((name, k) => ({
        url: `${ACCOUNT_URL}/routing/attributes/${uuid(seed, 981, k)}.json`,
        id: uuid(seed, 981, k),
        name,
        ...stamps(times(seed, 982, k)),
      })),
    audit_logs: () => {
      const admins = [agent(0), agent(1), agent(2)];
      const out: Rec[] = [];
      let t = EPOCH + 86_400 * 30;
      for (let k = 0; k < 64; k++) {
        // Some entries share a second (a bulk change logs several rows at once).
        if (k % 9 !== 4) t += 3600 + below(86_400 * 6, seed, 991, k);
        const id = ID.auditLog + k + 1;
        const source = pick([['rule', 'Trigger'], ['user', 'User'], ['ticket_field', 'Ticket field'], ['account_setting', 'Account setting'], ['macro', 'Macro']] as const, seed, 992, k);
        out.push({
          url: `${ACCOUNT_URL}/audit_logs/${id}.json`,
          id,
          action: pick(['update', 'create', 'destroy', 'login'], seed, 993, k),
          action_label: 'Updated',
          actor_id: admins[k % 3],
          actor_name: ['Admin One', 'Admin Two', 'Admin Three'][k % 3],
          source_id: ID.trigger + 1 + (k % 16),
          source_type: source[0],
          source_label: `${source[1]}: item ${k}`,
          change_description: k % 5 === 0 ? 'Activated' : `Changed title from "A${k}" to "B${k}"`,
          ip_address: `203.0.113.${(k % 250) + 1}`,
          created_at: iso(t),
        });
      }
      return out;
    },
    custom_objects: () =>
      CUSTOM_OBJECTS.map((o, k) => ({
        url: `${ACCOUNT_URL}/custom_objects/${o.key}.json`,
        key: o.key,
        title: o.title,
        raw_title: o.title,
        title_pluralized: o.plural,
        raw_title_pluralized: o.plural,
        description: `${o.plural} our customers own`,
        raw_description: `${o.plural} our customers own`,
        created_by_user_id: String(agent(0)),
        updated_by_user_id: String(agent(0)),
        include_in_list_view: true,
        allows_photos: k === 0,
        ...stamps(times(seed, 1001, k)),
      })),
    custom_object_records: () => {
      const out: Rec[] = [];
      CUSTOM_OBJECTS.forEach((o, k) => {
        for (let r = 0; r < o.records; r++) {
          const t = times(seed, 1011 + k, r, 86_400 * 300);
          // A pair of records shares a second: cursor exports must not lose either.
          const updated = r % 11 === 3 && r > 0 ? times(seed, 1011 + k, r - 1, 86_400 * 300).updated : t.updated;
          const deleted = o.key === 'car' && r === 7;
          const id = ulid(seed, 1013, k, r);
          const fields = o.fields(r) as Record<string, unknown>;
          out.push({
            url: `${ACCOUNT_URL}/custom_objects/${o.key}/records/${id}.json`,
            id,
            name: deleted ? '[DELETED]' : `${o.title} ${r + 1}`,
            custom_object_key: o.key,
            custom_object_fields: deleted ? Object.fromEntries(Object.keys(fields).map((f) => [f, '[DELETED]'])) : fields,
            external_id: r % 4 === 0 ? `ext-${o.key}-${r}` : null,
            created_by_user_id: String(agent(r)),
            updated_by_user_id: String(agent(r + 1)),
            photo: null,
            created_at: iso(Math.min(t.created, updated)),
            updated_at: iso(updated),
          });
        }
      });
      return out;
    },
    workspaces: () =>
      ['Billing workspace', 'VIP workspace'].map((title, k) => {
        const id = ID.workspace + k + 1;
        return {
          url: `${ACCOUNT_URL}/workspaces/${id}.json`,
          id,
          title,
          description: `${title} for agents`,
          activated: true,
          position: k + 1,
          ticket_form_id: ID.ticketForm + 2,
          macro_ids: [ID.macro + 1 + k],
          macros: [ID.macro + 1 + k],
          selected_macros: [{ id: ID.macro + 1 + k, title: 'Close and thank', active: true }],
          apps: [],
          prefer_workspace_app_order: false,
          conditions: { all: [{ field: 'current_tags', operator: 'includes', value: k ? 'vip' : 'billing' }], any: [] },
          ...stamps(times(seed, 1021, k)),
        };
      }),
    locales: () =>
      [[1, 'en-US', 'English'], [8, 'de', 'Deutsch'], [16, 'fr', 'Français'], [67, 'ja', '日本語']].map(([id, locale, name], k) => ({
        url: `${ACCOUNT_URL}/locales/${id}.json`,
        id,
        locale,
        name,
        ...stamps(times(seed, 1031, k)),
      })),
    organization_subscriptions: () =>
      Array.from({ length: 10 }, (_, k) => ({
        id: ID.orgSubscription + k + 1,
        user_id: agent(k),
        organization_id: ID.organization + 1 + k,
        created_at: iso(times(seed, 1041, k).created),
      })),
    sessions: () =>
      users()
        .slice(0, 12)
        .map((userId, k) => {
          const id = ID.session + k + 1;
          const t = times(seed, 1051, k + 600, 86_400);
          return { url: `${ACCOUNT_URL}/users/${userId}/sessions/${id}.json`, id, user_id: userId, authenticated_at: iso(t.created), last_seen_at: iso(t.updated) };
        }),
    account_settings: () => [
      {
        branding: { header_color: '78A300', page_background_color: '333333', tab_background_color: '7FA239', text_color: 'FFFFFF', header_logo_url: null, favicon_url: null },
        apps: { use: true, create_private: true, create_public: false },
        tickets: { comments_public_by_default: true, is_first_comment_private_enabled: false, list_newest_comments_first: true, collaboration: true, private_attachments: false, email_attachments: true, agent_collision: true, tagging: true, list_empty_views: true, maximum_personal_views_to_list: 8, status_hold: true, chat_sla_enablement: false, has_color_text: true, emoji_autocompletion: true },
        agents: { agent_workspace: true, focus_mode: false },
        groups: { check_group_name_uniqueness: true },
        chat: { enabled: true, maximum_request_count: 5, welcome_message: 'Hi there!', available: true, integrated: true },
        voice: { enabled: true, logging: true, outbound_enabled: true, agent_confirmation_when_forwarding: true, agent_wrap_up_after_calls: true, maximum_queue_size: 5, maximum_queue_wait_time: 1, only_during_business_hours: false, recordings_public: true, uk_mobile_forwarding: true },
        twitter: { shorten_url: 'optional' },
        google_apps: { has_google_apps: false, has_google_apps_admin: false },
        user: { tagging: true, time_zone_selection: true, language_selection: true, multiple_organizations: true, agent_created_welcome_emails: true, end_user_phone_number_validation: false, have_gravatars_enabled: true },
        screencast: { enabled_for_tickets: false },
        lotus: { prefer_lotus: true, reporting: true, pod_id: 23 },
        statistics: { forum: true, search: true, rule_usage: true },
        billing: { backend: 'zuora' },
        active_features: { on_hold_status: true, user_tagging: true, ticket_tagging: true, topic_suggestion: false, voice: true, facebook_login: false, google_login: false, twitter_login: false, forum_analytics: true, agent_forwarding: false, chat: true, chat_about_my_ticket: false, customer_satisfaction: true, satisfaction_prediction: false, csat_reason_code: true, markdown: true, bcc_archiving: false, allow_ccs: true, sandbox: false, suspended_ticket_notification: false, twitter: false, facebook: false, dynamic_contents: true, light_agents: true, ticket_forms: true, user_org_fields: true, is_abusive: false, rich_content_in_emails: true, fallback_composer: false },
        api: { accepted_api_agreement: true, api_password_access: 'false', api_token_access: 'true' },
        rule: { macro_most_used: true, macro_order: 'alphabetical', skill_based_filtered_views: [], using_skill_based_routing: true },
        limits: { attachment_size: 52_428_800 },
        onboarding: { onboarding_segments: null, checklist_onboarding_version: 2 },
        cross_sell: { show_chat_tooltip: false },
        localization: { locale_ids: [1, 8, 16, 67] },
        ticket_form: { ticket_forms_instructions: 'Please choose your issue below', raw_ticket_forms_instructions: 'Please choose your issue below' },
        brands: { default_brand_id: ID.brand + 1, require_brand_on_new_tickets: false },
        side_conversations: { email_channel: true, slack_channel: false, tickets_channel: true, msteams_channel: false, show_in_context_panel: true },
        metrics: { account_size: '100-399' },
        routing: { enabled: true, autorouting_tag: 'autoroute', max_email_capacity: 0, max_messaging_capacity: 0, reassignment_messaging_enabled: true, reassignment_messaging_timeout: 30, reassignment_talk_timeout: 30 },
        email: { accept_wildcard_emails: true, custom_dkim_domain: false, email_sender_authentication: false, email_template_photos: true, modern_email_template: true, no_mail_delimiter: false, personalized_replies: true, send_gmail_messages_via_gmail: false },
        cdn: { cdn_provider: 'default', fallback_cdn_provider: 'cloudfront', hosts: [{ name: 'default', url: 'https://p23.zdassets.com' }] },
      },
    ],
    attribute_definitions: () => {
      const defs = ['Brand', 'Channel', 'Form', 'Group', 'Organization', 'Priority', 'Requester language'].map((title, k) => ({
        title,
        subject: ['brand_id', 'via_id', 'ticket_form_id', 'group_id', 'organization_id', 'priority', 'requester_language'][k],
        type: k === 5 ? 'list' : 'tagger',
        group: k < 3 ? 'ticket' : 'organization',
        nullable: k === 3,
        repeatable: false,
        operators: [{ value: 'is', title: 'Is', terminal: false }, { value: 'is_not', title: 'Is not', terminal: false }],
        values: k === 5 ? ['low', 'normal', 'high', 'urgent'].map((v) => ({ value: v, title: v, enabled: true })) : [],
        metadata: k === 4 ? { collection_key: 'organizations', item_key: 'organization' } : null,
      }));
      // Both lists offer the same conditions, as on Zendesk: (condition, title) is the key.
      return [{ conditions_all: defs, conditions_any: defs.slice(0, 5) }];
    },
  };
}

function fieldDefs(seed: number, kind: string, base: number, defs: Array<[string, string, string, string[]?]>): Rec[] {
  return defs.map(([type, key, title, options], k) => {
    const id = base + k + 1;
    return {
      url: `${ACCOUNT_URL}/${kind}/${id}.json`,
      id,
      type,
      key,
      title,
      raw_title: title,
      description: `${title} of the ${kind === 'user_fields' ? 'user' : 'organization'}`,
      raw_description: `${title} of the ${kind === 'user_fields' ? 'user' : 'organization'}`,
      position: k,
      active: true,
      system: false,
      regexp_for_validation: type === 'integer' ? '\\A[-+]?\\d+\\z' : null,
      tag: type === 'checkbox' ? key : null,
      relationship_target_type: null,
      relationship_filter: null,
      ...(options ? { custom_field_options: options.map((value, o) => ({ id: id * 10 + o, name: value, raw_name: value, value, position: o })) } : {}),
      ...stamps(times(seed, kind === 'user_fields' ? 1061 : 1062, k)),
    };
  });
}
