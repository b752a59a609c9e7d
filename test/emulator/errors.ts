/**
 * Error bodies exactly as Zendesk sends them. They are deliberately not
 * uniform (string vs object `error`, `errors` arrays, plain text, empty HTML),
 * because clients must cope with all of them.
 */

export interface Reply {
  status: number;
  /** JSON-serialised unless `text` is given. */
  body?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Thrown by handlers to answer with an error reply. */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, body, ...(headers ? { headers } : {}) });
const text = (status: number, t: string, contentType = 'text/plain; charset=utf-8', headers?: Record<string, string>): Reply => ({
  status,
  text: t,
  contentType,
  ...(headers ? { headers } : {}),
});

// Sources: zendesk-api.md §5 (status/body table) and §4.3 (429/503/5xx, with the issues that recorded them);
// 401 bodies also in node-zendesk fixtures authentication_test_* [obs]. Per entry where it differs.
export const E = {
  // [3p] feature not enabled; [obs] unknown path
  invalidEndpoint: () => json(404, { error: 'InvalidEndpoint', description: 'Not found' }),
  recordNotFound: () => json(404, { error: 'RecordNotFound', description: 'Not found' }),
  basicAuth: () => json(401, { error: "Couldn't authenticate you" }),
  invalidToken: () =>
    json(401, {
      error: 'invalid_token',
      error_description: 'The access token provided is expired, revoked, malformed or invalid for other reasons.',
    }),
  invalidGrant: () =>
    json(400, {
      error: 'invalid_grant',
      error_description:
        'The provided access grant is invalid, expired, or revoked (e.g. invalid assertion, expired authorization token, bad end-user password credentials, or mismatching authorization code and redirection URI).',
    }),
  invalidClient: () =>
    json(401, {
      error: 'invalid_client',
      error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
    }),
  unsupportedGrant: () =>
    json(400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' }),
  forbidden: () =>
    json(403, {
      error: {
        title: 'Forbidden',
        message: 'You do not have access to this page. Please contact the account owner of this help desk for further help.',
      },
    }),
  scope: () => json(403, { error: 'Forbidden', description: 'You are missing the following required scopes: read' }),
  empty403: () => text(403, '', 'text/html; charset=utf-8'), // [3p] per-ticket collaboration endpoints
  // Exact wording of these three is not recorded: assumption (clients must key on status + `error`).
  missingStartTime: () => json(400, { error: 'InvalidValue', description: 'start_time is required' }),
  badStartTime: () => json(400, { error: 'InvalidValue', description: 'start_time must be a valid Unix epoch timestamp in seconds' }),
  tooRecent: () => json(400, { error: 'InvalidValue', description: 'Too recent start_time. Use a start_time older than 1 minute' }),
  /** Older accounts answered 422, sometimes labelled text/plain although the body is JSON. */
  tooRecentLegacy: () =>
    text(422, JSON.stringify({ error: 'InvalidValue', description: 'Too recent start_time. Use a start_time older than 5 minutes' })),
  // assumption: wording not recorded
  invalidCursor: () => json(400, { error: 'InvalidValue', description: 'cursor is invalid' }),
  paginationDepth: () =>
    json(400, {
      errors: [
        {
          code: 'InvalidPaginationDepth',
          title: 'Pagination requests using Offset Pagination are limited to page 100 or up to 10000 records (page * per_page)',
          detail:
            'Use cursor based pagination instead. See https://developer.zendesk.com/api-reference/introduction/pagination/#using-cursor-pagination',
        },
      ],
    }),
  // [3p] code seen by a live probe (csa-zendesk); "exact body shape not recorded" (zendesk-api.md §5)
  paginationParameter: (detail: string) =>
    json(400, { errors: [{ code: 'InvalidPaginationParameter', title: 'Invalid Pagination Parameter', detail }] }),
  exportRateLimited: (retryAfter: number) =>
    json(
      429,
      { error: 'APIRateLimitExceeded', description: 'Number of allowed incremental export API requests per minute exceeded' },
      { 'retry-after': String(retryAfter) },
    ),
  accountRateLimited: (retryAfter: number) =>
    json(429, { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' }, { 'retry-after': String(retryAfter) }),
  accountRateLimitedText: (retryAfter: number) =>
    text(429, 'Number of allowed API requests per minute exceeded', 'text/plain; charset=utf-8', { 'retry-after': String(retryAfter) }),
  edgeProtection: (retryAfter: number) =>
    json(429, { detail: 'Rate limited by Zendesk edge protection', status: '429', title: 'Automated response' }, { 'retry-after': String(retryAfter) }),
  unavailable: (retryAfter: number) =>
    text(
      503,
      '<html><head><title>Zendesk is temporarily unavailable</title></head><body><h1>Maintenance</h1><p>We will be back shortly.</p></body></html>',
      'text/html; charset=utf-8',
      { 'retry-after': String(retryAfter) },
    ),
  internal: () => json(500, { error: 'InternalServerError', description: 'Something went wrong. Please try again later.' }),
  badGateway: () => text(502, '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n', 'text/html'),
  gatewayTimeout: () =>
    text(504, '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n', 'text/html'),
  cloudflare: (code: 520 | 524) => text(code, `error code: ${code}`),
  // [3p] singer-io PR #107 retries 409; body wording is an assumption
  conflict: () => json(409, { error: 'Conflict', description: 'The resource is being modified by another request. Please retry.' }),
};
