/** Config after normalisation and defaults: what the rest of the tap reads. */

export type Credentials =
  | { type: 'api_token'; email: string; api_token: string }
  | { type: 'password'; email: string; password: string }
  | { type: 'oauth2.0'; access_token: string; token_expiry_date?: string }
  | {
      type: 'oauth2_refresh';
      client_id: string;
      /** Absent for public OAuth clients, which have no secret. */
      client_secret?: string;
      refresh_token: string;
      access_token?: string;
      /** ISO 8601 UTC expiry of access_token, from the grant's `expires_in`. */
      token_expiry_date?: string;
    }
  | {
      type: 'oauth2_client_credentials';
      client_id: string;
      client_secret: string;
      scope?: string;
      access_token?: string;
      token_expiry_date?: string;
    };

/** The schemes whose access token the tap obtains itself (and must persist). */
export type GrantCredentials = Extract<Credentials, { type: 'oauth2_refresh' | 'oauth2_client_credentials' }>;

export interface TapConfig {
  subdomain: string;
  credentials: Credentials;
  /** Epoch seconds. */
  startTime: number;
  /** Epoch seconds; undefined means "up to now". */
  endTime: number | undefined;
  baseUrl: string;
  excludeDeleted: boolean;
  pageSize: number;
  requestTimeoutMs: number;
  /** Undefined: learned from Zendesk's headers (10 a minute until the first answer says otherwise). */
  exportRpm: number | undefined;
  maxRpm: number | undefined;
  concurrency: number;
  rateWindowMs: number;
  discoverProbe: boolean;
  /** Chat's own OAuth token, used for /api/v2/chat requests. */
  chatAccessToken: string | undefined;
  customFieldsAsColumns: boolean;
  /** Hours between passes over every parent of the child streams with `parent.sweep`. */
  childSweepHours: number;
  /** The config object as the user wrote it, normalised; written back when OAuth tokens rotate. */
  raw: Record<string, unknown>;
  /** Where the config came from, for write-back (Singer) and error messages. */
  path: string | undefined;
}
