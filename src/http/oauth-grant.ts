/**
 * One call to Zendesk's token endpoint, `POST /oauth/tokens` ("Create Token
 * for Grant Type"): the parameters "must be formatted as JSON", the answer is
 * `{access_token, refresh_token?, expires_in?, token_type, scope}`.
 * Source: developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
 */
import axios from 'axios';
import { ConfigError, TransientError } from '../util/errors.js';
import { registerSecret } from '../util/log.js';

export type GrantBody =
  | { grant_type: 'refresh_token'; refresh_token: string; client_id: string; client_secret?: string; expires_in?: number; refresh_token_expires_in?: number }
  | { grant_type: 'client_credentials'; client_id: string; client_secret: string; scope: string };

export interface GrantAnswer {
  accessToken: string;
  /** Only the refresh-token grant returns one (client_credentials never does). */
  refreshToken: string | undefined;
  /** Seconds; undefined when Zendesk issued a token without expiry. */
  expiresIn: number | undefined;
  /** Date.now() when the answer arrived: the start of the persist-before-use window. */
  receivedAt: number;
}

/** The grant was refused for good (invalid_grant, invalid_client, ...): retrying cannot help. */
export class GrantRefused extends ConfigError {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export async function requestGrant(baseUrl: string, body: GrantBody, timeoutMs: number): Promise<GrantAnswer> {
  let res;
  try {
    res = await axios.post(`${baseUrl}/oauth/tokens`, JSON.stringify(body), {
      timeout: timeoutMs,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      validateStatus: () => true,
      responseType: 'json',
      maxRedirects: 0,
    });
  } catch (err) {
    throw new TransientError(`OAuth token request failed: ${(err as Error).message}. Try again later.`);
  }
  const receivedAt = Date.now();
  const data = (res.data && typeof res.data === 'object' ? res.data : {}) as Record<string, unknown>;
  // Register before anything can print the body.
  registerSecret(data.access_token);
  registerSecret(data.refresh_token);
  if (res.status >= 500 || res.status === 429) {
    throw new TransientError(`OAuth token request failed with HTTP ${res.status}. Try again later.`);
  }
  // The docs show 201 Created; accept any 2xx that carries a token.
  if (res.status < 200 || res.status > 299 || typeof data.access_token !== 'string') {
    const code = typeof data.error === 'string' ? data.error : `HTTP ${res.status}`;
    throw new GrantRefused(code, refusal(body.grant_type, code));
  }
  const expiresIn = Number(data.expires_in);
  return {
    accessToken: data.access_token,
    refreshToken: typeof data.refresh_token === 'string' && data.refresh_token ? data.refresh_token : undefined,
    expiresIn: data.expires_in !== null && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
    receivedAt,
  };
}

function refusal(grant: GrantBody['grant_type'], code: string): string {
  if (grant === 'client_credentials') {
    return `OAuth client credentials were refused (${code}): check credentials.client_id and client_secret, and that the OAuth client's kind is "Confidential" (public clients cannot use this grant). See the README's OAuth setup.`;
  }
  return `OAuth refresh was refused (${code}): the refresh token is expired, revoked or already used, or the client id/secret is wrong. Re-authorise and update credentials.refresh_token (see the README's OAuth setup).`;
}
