import { ACCOUNT_URL, CREDENTIALS } from '../options.js';
import { epochOf, iso } from '../clock.js';
import { below, pick, unit } from '../rng.js';
import { ID } from './ids.js';
import type { Rec } from './collection.js';
import { TAG_NAMES } from './catalog.js';

// Shapes: user keys [obs] (zendesk-api.md §3.10) and the OAS User/Organization/UserIdentity schemas; values invented.
/** Users and organizations. */

const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Radia', 'Donald', 'Frances', 'Tim', 'Hedy', 'Dennis', 'Katherine', 'John'];
const LAST = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Dijkstra', 'Liskov', 'Thompson', 'Perlman', 'Knuth', 'Allen', 'Lee', 'Lamarr', 'Ritchie', 'Johnson', 'McCarthy'];
const ZONES = [
  ['Pacific Time (US & Canada)', 'America/Los_Angeles'],
  ['Eastern Time (US & Canada)', 'America/New_York'],
  ['London', 'Europe/London'],
  ['Berlin', 'Europe/Berlin'],
  ['Tokyo', 'Asia/Tokyo'],
  ['Sydney', 'Australia/Sydney'],
] as const;
const LOCALES = [
  ['en-US', 1],
  ['de', 8],
  ['fr', 16],
  ['ja', 67],
] as const;

export function agentCount(users: number): number {
  return Math.min(users, Math.max(3, Math.round(users * 0.08)));
}

export function userIdAt(i: number): number {
  return ID.user + i + 1;
}

export function orgIdAt(i: number): number {
  return ID.organization + i + 1;
}

export function makeUser(seed: number, i: number, ts: number, sizes: { users: number; organizations: number; groups: number }): Rec {
  const id = userIdAt(i);
  const agents = agentCount(sizes.users);
  const role = i === 0 ? 'admin' : i < agents ? 'agent' : 'end-user';
  const first = pick(FIRST, seed, 101, i);
  const last = pick(LAST, seed, 102, i);
  const email = i === 0 ? CREDENTIALS.email : `${first}.${last}.${i}@example${i % 7}.test`.toLowerCase();
  const [zone, iana] = pick(ZONES, seed, 103, i);
  const [locale, localeId] = pick(LOCALES, seed, 104, i);
  const created = ts - below(86_400 * 200, seed, 105, i);
  const hasOrg = sizes.organizations > 0 && unit(seed, 106, i) < 0.7;
  const suspended = role === 'end-user' && unit(seed, 107, i) < 0.03;
  return {
    id,
    url: `${ACCOUNT_URL}/users/${id}.json`,
    name: `${first} ${last}`,
    email,
    created_at: iso(created),
    updated_at: iso(ts),
    time_zone: zone,
    iana_time_zone: iana,
    phone: unit(seed, 108, i) < 0.3 ? `+1555${String(1000000 + i).slice(-7)}` : null,
    shared_phone_number: null,
    photo: null,
    locale_id: localeId,
    locale,
    organization_id: hasOrg ? orgIdAt(below(sizes.organizations, seed, 109, i)) : null,
    role,
    verified: unit(seed, 110, i) < 0.9,
    external_id: unit(seed, 111, i) < 0.2 ? `crm-${i}` : null,
    tags: TAG_NAMES.filter((_, k) => unit(seed, 112, i, k) < 0.05),
    alias: role === 'end-user' ? null : '',
    active: true,
    shared: false,
    shared_agent: false,
    last_login_at: unit(seed, 113, i) < 0.6 ? iso(ts - below(86_400, seed, 114, i)) : null,
    two_factor_auth_enabled: role === 'end-user' ? null : unit(seed, 115, i) < 0.5,
    signature: role === 'end-user' ? null : `${first} from Acme`,
    details: '',
    notes: '',
    role_type: role === 'end-user' ? null : role === 'admin' ? 4 : unit(seed, 116, i) < 0.3 ? 0 : null,
    custom_role_id: role === 'agent' && unit(seed, 116, i) < 0.3 ? 360000000 + 17 : null,
    moderator: role !== 'end-user',
    ticket_restriction: role === 'end-user' ? 'requested' : null,
    only_private_comments: false,
    restricted_agent: role === 'agent' && unit(seed, 117, i) < 0.2,
    suspended,
    default_group_id: role === 'end-user' ? null : ID.group + 1 + (i % Math.max(1, sizes.groups - 1)),
    report_csv: role === 'admin',
    user_fields: {
      plan: pick(['free', 'team', 'enterprise', null], seed, 118, i),
      lifetime_value: unit(seed, 119, i) < 0.5 ? Math.round(unit(seed, 120, i) * 1e6) / 100 : null,
      beta_tester: unit(seed, 121, i) < 0.1,
    },
    // Not in the OAS but present in real payloads: schemas must tolerate extras.
    permanently_deleted: false,
    chat_only: false,
  };
}

/** Identities of a user: a primary email, sometimes a phone number too. */
export function makeIdentities(seed: number, user: Rec, i: number): Rec[] {
  const userId = user.id as number;
  const created = epochOf(user.created_at as string);
  const out: Rec[] = [];
  const add = (k: number, type: string, value: string, primary: boolean): void => {
    const id = ID.identity + i * 4 + k;
    out.push({
      url: `${ACCOUNT_URL}/users/${userId}/identities/${id}.json`,
      id,
      user_id: userId,
      type,
      value,
      verified: user.verified,
      primary,
      created_at: iso(created + k * 60),
      updated_at: iso(created + k * 60 + below(3600, seed, 130, i, k)),
      undeliverable_count: 0,
      deliverable_state: 'deliverable',
    });
  };
  add(0, 'email', user.email as string, true);
  if (user.phone) add(1, 'phone_number', user.phone as string, false);
  return out;
}

const ORG_WORDS = ['Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Massive', 'Wonka'];
const ORG_SUFFIX = ['Inc', 'LLC', 'GmbH', 'Ltd', 'Corp', 'KK'];

export function makeOrganization(seed: number, i: number, ts: number, groups: number): Rec {
  const id = orgIdAt(i);
  const name = `${pick(ORG_WORDS, seed, 201, i)} ${pick(ORG_SUFFIX, seed, 202, i)} ${i + 1}`;
  const created = ts - below(86_400 * 300, seed, 203, i);
  return {
    url: `${ACCOUNT_URL}/organizations/${id}.json`,
    id,
    name,
    shared_tickets: unit(seed, 204, i) < 0.3,
    shared_comments: unit(seed, 205, i) < 0.2,
    external_id: unit(seed, 206, i) < 0.3 ? `sf-${1000 + i}` : null,
    created_at: iso(created),
    updated_at: iso(ts),
    domain_names: unit(seed, 207, i) < 0.6 ? [`${name.split(' ')[0]!.toLowerCase()}${i}.test`] : [],
    details: unit(seed, 208, i) < 0.5 ? 'Key account' : null,
    notes: null,
    group_id: unit(seed, 209, i) < 0.3 ? ID.group + 1 + below(Math.max(1, groups), seed, 210, i) : null,
    tags: TAG_NAMES.filter((_, k) => unit(seed, 211, i, k) < 0.06),
    organization_fields: {
      tier: pick(['gold', 'silver', 'bronze', null], seed, 212, i),
      seats: unit(seed, 213, i) < 0.7 ? 5 + below(500, seed, 214, i) : null,
      renewal_auto: unit(seed, 215, i) < 0.5,
      regions: ['na', 'emea', 'apac'].filter((_, k) => unit(seed, 216, i, k) < 0.4),
    },
    deleted_at: null,
  };
}
