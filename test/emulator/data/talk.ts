import { ACCOUNT_URL } from '../options.js';
import { iso } from '../clock.js';
import { below, pick, unit } from '../rng.js';
import { ID } from './ids.js';
import type { Rec } from './collection.js';
import type { Builders } from './store.js';

// Shapes: docs /api-reference/voice/talk-api/ JSON formats (calls, legs, stats); legs sharing a call's second [3p] (zendesk-api.md §3.5).
/**
 * Talk (Voice). Calls and legs feed the count_export style: several legs of
 * one call share an updated_at second, which is what makes naive "stop when
 * count <= 1" clients loop forever. The rest is configuration and stats.
 */

export const TALK_START = Date.UTC(2024, 5, 1) / 1000;
const VOICE = `${ACCOUNT_URL}/channels/voice`;

export function talkBuilders(seed: number, calls: number, agents: number[]): Builders {
  const agent = (k: number): number => agents[k % agents.length]!;
  const phoneIds = [ID.talkConfig + 101, ID.talkConfig + 102, ID.talkConfig + 103];
  const ivrId = (k: number): number => ID.talkConfig + 301 + k;
  let built: { calls: Rec[]; legs: Rec[] } | undefined;
  const callsAndLegs = (): { calls: Rec[]; legs: Rec[] } => (built ??= buildCalls(seed, calls, agent, phoneIds));
  return {
    calls: () => callsAndLegs().calls,
    legs: () => callsAndLegs().legs,
    addresses: () =>
      [['HQ', 'US', 'San Francisco', 'CA', '94105', '1019 Market St'], ['Berlin office', 'DE', 'Berlin', null, '10115', 'Invalidenstr. 1']].map(([name, cc, city, province, zip, street], k) => ({
        id: ID.talkConfig + 1 + k,
        name,
        street,
        zip,
        city,
        state: province,
        province,
        country_code: cc,
        provider_reference: `AD${1000 + k}`,
      })),
    greeting_categories: () => ['voicemail', 'available', 'wait', 'hold', 'ivr', 'callback'].map((name, k) => ({ id: k + 1, name })),
    greetings: () => [
      // System greetings have string ids, custom ones integers.
      ...['voicemail_en', 'available_en', 'wait_en', 'hold_en'].map((id, k) => ({ id, name: id.replace('_en', '').replace(/^./, (c) => c.toUpperCase()), category_id: k + 1, default: true, default_lang: true, active: true, pending: false, has_sub_settings: false, audio_name: `${id}.mp3`, audio_url: `/system/voice/${id}.mp3`, upload_id: null, ivr_ids: [], phone_number_ids: [] })),
      ...Array.from({ length: 4 }, (_, k) => ({
        id: ID.talkConfig + 201 + k,
        name: `Custom greeting ${k + 1}`,
        category_id: 1 + (k % 5),
        default: false,
        default_lang: false,
        active: k !== 3,
        pending: false,
        has_sub_settings: k === 0,
        audio_name: `custom-${k + 1}.mp3`,
        audio_url: `/system/voice/uploads/custom-${k + 1}.mp3`,
        upload_id: ID.talkConfig + 251 + k,
        ivr_ids: k === 0 ? [ivrId(0)] : [],
        phone_number_ids: k < 2 ? [phoneIds[k]] : [],
      })),
    ],
    ivrs: () =>
      ['Main menu', 'After hours'].map((name, k) => ({
        id: ivrId(k),
        name,
        phone_number_ids: [phoneIds[k]],
        phone_number_names: [`+1 415-555-010${k + 1}`],
        sip_line_ids: [],
        sip_line_names: [],
        menus: Array.from({ length: k === 0 ? 2 : 1 }, (_, m) => {
          const menuId = ivrId(k) * 10 + m;
          return {
            id: menuId,
            name: m === 0 ? 'Main' : 'Billing submenu',
            default: m === 0,
            greeting_id: ID.talkConfig + 201 + m,
            greeting_loop_count: 2,
            routes: Array.from({ length: m === 0 ? 3 : 2 }, (_, r) => ({
              id: menuId * 10 + r,
              keypress: String(r + 1),
              action: pick(['group', 'voicemail', 'menu', 'phone_number'], seed, 1101, k, m, r),
              greeting: r === 1 ? 'voicemail_en' : null,
              option_text: `Option ${r + 1}`,
              options: r === 0 ? { group_ids: [ID.group + 1] } : { textback_greeting_id: null },
              overflow_options: [],
            })),
          };
        }),
      })),
    phone_numbers: () => phoneIds.map((id, k) => phoneNumber(seed, id, k, ivrId)),
    lines: () => [
      ...phoneIds.map((id, k) => ({ ...phoneNumber(seed, id, k, ivrId), line_type: 'phone' })),
      ...[0, 1].map((k) => ({
        id: ID.talkConfig + 151 + k,
        line_id: `dl_${ID.talkConfig + 151 + k}`,
        line_type: 'digital',
        nickname: k ? 'Web widget line' : 'In-app line',
        brand_id: ID.brand + 1,
        default_group_id: ID.group + 1 + k,
        group_ids: [ID.group + 1 + k],
        greeting_ids: [],
        default_greeting_ids: [],
        categorised_greetings: {},
        categorised_greetings_with_sub_settings: {},
        recorded: true,
        transcription: false,
        priority: 0,
        schedule_id: null,
        outbound_number: null,
        created_at: iso(TALK_START - 86_400 * (40 - k)),
      })),
    ],
    agents_activity: () =>
      agents.slice(0, 8).map((agentId, k) => ({
        agent_id: agentId,
        name: `Agent ${k + 1}`,
        avatar_url: null,
        via: pick(['client', 'phone', null], seed, 1111, k),
        forwarding_number: k === 2 ? '+15550100199' : null,
        agent_state: pick(['online', 'offline', 'away', 'transfers_only'], seed, 1112, k),
        call_status: pick(['on_call', 'wrap_up', null], seed, 1113, k),
        available_time: below(20_000, seed, 1114, k),
        away_time: below(5_000, seed, 1115, k),
        online_time: below(30_000, seed, 1116, k),
        transfers_only_time: 0,
        calls_accepted: below(40, seed, 1117, k),
        calls_denied: below(4, seed, 1118, k),
        calls_missed: below(6, seed, 1119, k),
        calls_put_on_hold: below(10, seed, 1120, k),
        calls_unreachable: 0,
        accepted_transfers: below(3, seed, 1121, k),
        started_transfers: below(3, seed, 1122, k),
        accepted_third_party_conferences: 0,
        started_third_party_conferences: 0,
        average_talk_time: 120 + below(400, seed, 1123, k),
        average_hold_time: below(60, seed, 1124, k),
        average_wrap_up_time: below(90, seed, 1125, k),
        total_call_duration: below(20_000, seed, 1126, k),
        total_talk_time: below(15_000, seed, 1127, k),
        total_hold_time: below(900, seed, 1128, k),
        total_wrap_up_time: below(2_000, seed, 1129, k),
      })),
    agents_overview: () => [
      {
        average_accepted_transfers: 1, average_available_time: 14_000, average_away_time: 1_200, average_calls_accepted: 18, average_calls_denied: 1,
        average_calls_missed: 2, average_calls_put_on_hold: 3, average_hold_time: 25, average_online_time: 21_000, average_started_transfers: 1,
        average_talk_time: 260, average_transfers_only_time: 0, average_wrap_up_time: 45, total_accepted_transfers: 7, total_calls_accepted: 140,
        total_calls_denied: 6, total_calls_missed: 15, total_calls_put_on_hold: 22, total_hold_time: 800, total_started_transfers: 5,
        total_talk_time: 36_000, total_wrap_up_time: 6_000,
      },
    ],
    account_overview: () => [
      {
        average_call_duration: 310, average_callback_wait_time: 95, average_hold_time: 22, average_queue_wait_time: 48, average_time_to_answer: 19,
        average_wrap_up_time: 44, max_calls_waiting: 6, max_queue_wait_time: 420, total_call_duration: 48_000, total_callback_calls: 9, total_calls: 160,
        total_calls_abandoned_in_queue: 7, total_calls_outside_business_hours: 12, total_calls_with_exceeded_queue_wait_time: 3,
        total_calls_with_requested_voicemail: 5, total_embeddable_callback_calls: 2, total_hold_time: 900, total_inbound_calls: 120,
        total_outbound_calls: 40, total_textback_requests: 1, total_voicemails: 8, total_wrap_up_time: 6_500,
      },
    ],
    current_queue_activity: () => [
      { agents_online: 5, ai_agent_calls: 0, average_wait_time: 31, callbacks_waiting: 1, calls_waiting: 2, embeddable_callbacks_waiting: 0, longest_wait_time: 64 },
    ],
    talk_settings: () => [
      {
        voice: true, enabled: true, logging: true, outbound_enabled: true, recordings_public: false, agent_confirmation_when_forwarding: true,
        agent_wrap_up_after_calls: true, maximum_queue_size: 5, maximum_queue_wait_time: 1, only_during_business_hours: false,
        uk_mobile_forwarding: true, supported_locales: [{ id: 1, locale: 'en-US', name: 'English' }], knowledge_suggestions_enabled: false,
        knowledge_suggestions_group_ids: [], voice_ai_collapsible_comment: false, voice_ai_display_transcript: false,
      },
    ],
  };
}

function phoneNumber(seed: number, id: number, k: number, ivrId: (k: number) => number): Rec {
  return {
    id,
    number: `+1415555010${k + 1}`,
    display_number: `+1 (415) 555-010${k + 1}`,
    name: ['Main line', 'After hours', 'Billing'][k],
    nickname: ['Main', 'Night', 'Billing'][k],
    country_code: 'US',
    location: 'CA',
    toll_free: k === 2,
    external: false,
    capabilities: { sms: k === 0, mms: false, voice: true, emergency_address: true },
    sms_enabled: k === 0,
    sms_group_id: k === 0 ? ID.group + 1 : null,
    voice_enabled: true,
    outbound_enabled: k !== 1,
    recorded: true,
    transcription: k === 0,
    call_recording_consent: 'always',
    default_group_id: ID.group + 1 + k,
    group_ids: [ID.group + 1 + k],
    greeting_ids: [ID.talkConfig + 201],
    default_greeting_ids: ['voicemail_en', 'available_en'],
    categorised_greetings: { '1': 'voicemail_en', '2': 'available_en' },
    categorised_greetings_with_sub_settings: { '1': { voicemail_on: 'voicemail_en' } },
    ivr_id: k < 2 ? ivrId(k) : null,
    priority: 0,
    schedule_id: k === 1 ? ID.schedule + 1 : null,
    failover_number: null,
    ai_agent_enabled: false,
    bot_id: null,
    brand_id: ID.brand + 1,
    post_call_voice_ai_enabled: false,
    voice_qa_enabled: unit(seed, 1131, k) < 0.5,
    created_at: iso(TALK_START - 86_400 * (60 - k)),
  };
}

function buildCalls(seed: number, count: number, agent: (k: number) => number, phoneIds: number[]): { calls: Rec[]; legs: Rec[] } {
  const calls: Rec[] = [];
  const legs: Rec[] = [];
  // Spread calls over a year at most; a larger account gets denser calls.
  const spacing = Math.max(60, Math.floor((86_400 * 300) / Math.max(1, count)));
  for (let k = 0; k < count; k++) {
    const id = ID.ticket + 50_000_000 + k;
    const created = TALK_START + k * spacing + below(Math.floor(spacing / 2), seed, 900, k);
    const duration = 30 + below(900, seed, 901, k);
    const updated = created + duration + 60;
    const direction = pick(['inbound', 'outbound'], seed, 904, k);
    const status = pick(['completed', 'completed', 'abandoned_in_queue', 'agent_declined'], seed, 903, k);
    const talk = status === 'completed' ? Math.floor(duration * 0.8) : 0;
    calls.push({
      id,
      created_at: iso(created),
      updated_at: iso(updated),
      agent_id: status === 'completed' ? agent(2 + below(5, seed, 902, k)) : null,
      call_charge: (duration * 0.002).toFixed(3),
      call_channel: 'voice',
      call_group_id: ID.group + 1,
      call_recording_consent: 'always',
      call_recording_consent_action: null,
      call_recording_consent_keypress: null,
      callback: false,
      callback_source: null,
      completion_status: status,
      consultation_time: 0,
      customer_id: ID.user + 20 + (k % 90),
      customer_requested_voicemail: false,
      default_group: true,
      direction,
      duration,
      exceeded_queue_wait_time: false,
      hold_time: below(60, seed, 905, k),
      ivr_action: null,
      ivr_destination_group_name: null,
      ivr_hops: null,
      ivr_routed_to: null,
      ivr_time_spent: null,
      line: '+14155550101',
      line_id: phoneIds[k % phoneIds.length],
      line_type: 'phone',
      minutes_billed: Math.ceil(duration / 60),
      not_recording_time: 0,
      outside_business_hours: unit(seed, 910, k) < 0.1,
      overflowed: false,
      overflowed_to: null,
      phone_number: '+15550001111',
      phone_number_id: phoneIds[k % phoneIds.length],
      quality_issues: unit(seed, 911, k) < 0.05 ? ['agent_high_latency'] : [],
      recording_control_interactions: 0,
      recording_time: talk,
      talk_time: talk,
      ticket_id: ID.ticket + 1 + (k % 250),
      time_to_answer: status === 'completed' ? below(40, seed, 912, k) : null,
      voicemail: false,
      wait_time: below(120, seed, 913, k),
      wrap_up_time: below(120, seed, 906, k),
      post_call_summary: false,
      post_call_transcription: false,
      real_time_transcription: false,
    });
    const n = 2 + below(2, seed, 907, k);
    for (let l = 0; l < n; l++) {
      legs.push({
        id: id * 10 + l,
        call_id: id,
        created_at: iso(created + l * 5),
        // Every leg of a call shares the call's updated_at second.
        updated_at: iso(updated),
        agent_id: l === 0 ? null : agent(2 + l),
        user_id: l === 0 ? ID.user + 20 + (k % 90) : agent(2 + l),
        type: l === 0 ? 'customer' : 'agent',
        available_via: l === 0 ? null : 'client',
        duration: Math.floor(duration / n),
        talk_time: Math.floor(duration / n),
        hold_time: 0,
        wrap_up_time: l === 0 ? 0 : below(60, seed, 908, k, l),
        call_charge: ((duration / n) * 0.002).toFixed(3),
        minutes_billed: Math.ceil(duration / n / 60),
        completion_status: l === 0 ? 'completed' : pick(['completed', 'agent_missed', 'agent_declined'], seed, 909, k, l),
        conference_from: null,
        conference_to: null,
        conference_time: null,
        consultation_from: null,
        consultation_to: null,
        consultation_time: null,
        forwarded_to: null,
        transferred_from: null,
        transferred_to: null,
        quality_issues: [],
      });
    }
  }
  return { calls, legs };
}

/** Call URLs point at the voice API, as real payloads do. */
export const callUrl = (id: number): string => `${VOICE}/calls/${id}.json`;
