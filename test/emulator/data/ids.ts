/**
 * Id bases per resource. Real Zendesk ids are large (above 2^32, below 2^53);
 * separate bases keep ids unique across resources, which catches joins on the
 * wrong key.
 */
export const ID = {
  ticket: 360_000_000_000,
  user: 361_000_000_000,
  organization: 362_000_000_000,
  group: 363_000_000_000,
  brand: 364_000_000_000,
  ticketField: 365_000_000_000,
  fieldOption: 365_500_000_000,
  slaPolicy: 366_000_000_000,
  groupMembership: 367_000_000_000,
  identity: 368_000_000_000,
  ticketMetric: 369_000_000_000,
  satisfactionRating: 370_000_000_000,
  audit: 371_000_000_000,
  metricEvent: 380_000_000_000,
  ticketForm: 390_000_000_000,
  customStatus: 391_000_000_000,
} as const;

/** Audit ids leave room for child events: audit k of ticket i = base + i*64 + k*16, children +1..+15. */
export const AUDITS_PER_TICKET_SLOT = 64;
export const CHILDREN_PER_AUDIT_SLOT = 16;
