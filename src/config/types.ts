/** Config after normalisation and defaults: what the rest of the tap reads. */

export type Credentials =
  | { type: 'api_token'; email: string; api_token: string }
  | { type: 'password'; email: string; password: string }
  | { type: 'oauth2.0'; access_token: string }
  | {
      type: 'oauth2_refresh';
      client_id: string;
      client_secret: string;
      refresh_token: string;
      access_token?: string;
      token_expiry_date?: string;
    };

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
  /** The config object as the user wrote it, normalised; written back when OAuth tokens rotate. */
  raw: Record<string, unknown>;
  /** Where the config came from, for write-back (Singer) and error messages. */
  path: string | undefined;
}
