import { ACCOUNT_URL } from '../options.js';
import { iso } from '../clock.js';
import { below, pick } from '../rng.js';
import { ID } from './ids.js';
import type { Rec } from './collection.js';

/**
 * A small Talk data set, only to exercise the count_export style: several
 * legs of one call share an updated_at second, which is what makes naive
 * "stop when count <= 1" clients loop forever.
 */

const CALLS = 60;
const TALK_START = Date.UTC(2024, 5, 1) / 1000;
const cache = new Map<number, { calls: Rec[]; legs: Rec[] }>();

function build(seed: number): { calls: Rec[]; legs: Rec[] } {
  const calls: Rec[] = [];
  const legs: Rec[] = [];
  for (let k = 0; k < CALLS; k++) {
    const id = ID.ticket + 50_000_000 + k;
    const created = TALK_START + k * 3600 + below(1800, seed, 900, k);
    const duration = 30 + below(900, seed, 901, k);
    const updated = created + duration + 60;
    calls.push({
      id,
      created_at: iso(created),
      updated_at: iso(updated),
      agent_id: ID.user + 2 + below(5, seed, 902, k),
      call_charge: (duration * 0.002).toFixed(3),
      completion_status: pick(['completed', 'completed', 'abandoned_in_queue', 'agent_declined'], seed, 903, k),
      direction: pick(['inbound', 'outbound'], seed, 904, k),
      duration,
      talk_time: Math.floor(duration * 0.8),
      hold_time: below(60, seed, 905, k),
      wrap_up_time: below(120, seed, 906, k),
      ticket_id: ID.ticket + 1 + k,
      phone_number: '+15550001111',
      customer_id: ID.user + 20 + k,
      url: `${ACCOUNT_URL}/channels/voice/calls/${id}.json`,
    });
    const n = 2 + below(2, seed, 907, k);
    for (let l = 0; l < n; l++) {
      legs.push({
        id: id * 10 + l,
        call_id: id,
        created_at: iso(created + l * 5),
        updated_at: iso(updated),
        agent_id: l === 0 ? null : ID.user + 2 + l,
        type: l === 0 ? 'customer' : 'agent',
        duration: Math.floor(duration / n),
        talk_time: Math.floor(duration / n),
        completion_status: 'completed',
      });
    }
  }
  return { calls, legs };
}

const get = (seed: number): { calls: Rec[]; legs: Rec[] } => {
  if (!cache.has(seed)) cache.set(seed, build(seed));
  return cache.get(seed)!;
};

export const talkCalls = (seed: number): Rec[] => get(seed).calls;
export const talkLegs = (seed: number): Rec[] => get(seed).legs;
