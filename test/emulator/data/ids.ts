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
  // Support configuration and the rest (data/support-more.ts)
  orgMembership: 392_000_000_000,
  macro: 393_000_000_000,
  customRole: 393_100_000_000,
  userField: 393_200_000_000,
  orgField: 393_300_000_000,
  schedule: 393_400_000_000,
  view: 393_500_000_000,
  trigger: 393_600_000_000,
  automation: 393_700_000_000,
  activity: 393_800_000_000,
  skip: 393_900_000_000,
  suspended: 394_000_000_000,
  recipientAddress: 394_100_000_000,
  sharingAgreement: 394_200_000_000,
  target: 394_300_000_000,
  targetFailure: 394_400_000_000,
  dynamicContent: 394_500_000_000,
  satisfactionReason: 394_600_000_000,
  auditLog: 394_700_000_000,
  workspace: 394_800_000_000,
  locale: 1_000,
  orgSubscription: 394_900_000_000,
  session: 395_000_000_000,
  // Talk, Chat, Help Center (data/talk.ts, data/chat.ts, data/help-center.ts)
  call: 396_000_000_000,
  talkConfig: 396_500_000_000,
  chatAgent: 397_000_000_000,
  chatConfig: 397_500_000_000,
  article: 398_000_000_000,
  section: 398_100_000_000,
  category: 398_200_000_000,
  hcComment: 398_300_000_000,
  hcVote: 398_400_000_000,
  hcAttachment: 398_500_000_000,
  post: 398_600_000_000,
  topic: 398_700_000_000,
  userSegment: 398_800_000_000,
  label: 398_900_000_000,
} as const;

/** Audit ids leave room for child events: audit k of ticket i = base + i*64 + k*16, children +1..+15. */
export const AUDITS_PER_TICKET_SLOT = 64;
export const CHILDREN_PER_AUDIT_SLOT = 16;
