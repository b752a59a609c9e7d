/**
 * The Airbyte SPEC: the settings schema (schemas/config.json, already in
 * Airbyte's spec style) plus the OAuth flow for the platform's UI.
 */
import { configSchema } from '../../config/schema.js';
import type { JsonObject } from '../../core/events.js';
import { readProjectJson } from '../../util/paths.js';

/** package.json `homepage` when set; otherwise the project's README on GitHub. */
export function documentationUrl(): string {
  const pkg = readProjectJson<{ homepage?: unknown }>('package.json');
  return typeof pkg.homepage === 'string' && /^https?:\/\//.test(pkg.homepage) ? pkg.homepage : 'https://github.com/tap-zendesk/tap-zendesk#readme';
}

/** Keywords Airbyte's spec rules forbid (CAT test_forbidden_complex_types and friends). */
const FORBIDDEN = new Set(['not', 'anyOf', 'allOf', 'if', 'then', 'else', 'patternProperties', 'prefixItems', 'dependentSchemas', 'dependentRequired', 'dependencies']);

function clean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(clean);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node as JsonObject)) {
    if (FORBIDDEN.has(k)) continue;
    // `properties` maps names to schemas: clean the schemas, keep every name.
    if (k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.entries(v as JsonObject).map(([name, s]) => [name, clean(s)]));
    } else {
      out[k] = clean(v);
    }
  }
  return out;
}

export const ADVANCED_AUTH: JsonObject = {
  auth_flow_type: 'oauth2.0',
  predicate_key: ['credentials', 'type'],
  predicate_value: 'oauth2_refresh',
  oauth_config_specification: {
    oauth_user_input_from_connector_config_specification: {
      type: 'object',
      additionalProperties: true,
      properties: {
        subdomain: { type: 'string', path_in_connector_config: ['subdomain'] },
      },
    },
    oauth_connector_input_specification: {
      consent_url:
        'https://{{subdomain}}.zendesk.com/oauth/authorizations/new?{{client_id_key}}={{client_id_value}}&{{redirect_uri_key}}={{redirect_uri_value | urlEncoder}}&{{scope_key}}={{scope_value | urlEncoder}}&{{state_key}}={{state_value}}&response_type=code',
      scope: 'read',
      access_token_url: 'https://{{subdomain}}.zendesk.com/oauth/tokens',
      access_token_headers: { 'Content-Type': 'application/json' },
      access_token_params: {
        grant_type: 'authorization_code',
        code: '{{auth_code_value}}',
        client_id: '{{client_id_value}}',
        client_secret: '{{client_secret_value}}',
        redirect_uri: '{{redirect_uri_value}}',
        scope: '{{scope_value}}',
        expires_in: 172800,
      },
      extract_output: ['access_token', 'refresh_token'],
    },
    complete_oauth_output_specification: {
      type: 'object',
      additionalProperties: true,
      properties: {
        access_token: { type: 'string', path_in_connector_config: ['credentials', 'access_token'] },
        refresh_token: { type: 'string', path_in_connector_config: ['credentials', 'refresh_token'] },
      },
    },
    complete_oauth_server_input_specification: {
      type: 'object',
      additionalProperties: true,
      properties: {
        client_id: { type: 'string' },
        client_secret: { type: 'string' },
      },
    },
    complete_oauth_server_output_specification: {
      type: 'object',
      additionalProperties: true,
      properties: {
        client_id: { type: 'string', path_in_connector_config: ['credentials', 'client_id'] },
        client_secret: { type: 'string', path_in_connector_config: ['credentials', 'client_secret'] },
      },
    },
  },
};

/**
 * Free-form object settings (stream_maps, stream_map_config) leave the form:
 * Airbyte's UI cannot edit an object without declared properties (CAT forbids
 * them). They still work in Airbyte mode, set in the source's config JSON (API,
 * Terraform): the top level allows additional properties.
 */
function formSchema(schema: JsonObject): JsonObject {
  const props = schema.properties as Record<string, JsonObject>;
  const freeForm = (p: JsonObject): boolean => p.type === 'object' && !p.properties && !p.oneOf;
  return { ...schema, properties: Object.fromEntries(Object.entries(props).filter(([, p]) => !freeForm(p))) };
}

export function airbyteSpec(): JsonObject {
  return {
    documentationUrl: documentationUrl(),
    connectionSpecification: formSchema(clean(configSchema) as JsonObject),
    supportsIncremental: true,
    advanced_auth: ADVANCED_AUTH,
  };
}
