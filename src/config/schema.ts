/** The settings schema, shared by validation, `--about` and the Airbyte SPEC. */
import { readProjectJson } from '../util/paths.js';

export interface ConfigSchema {
  properties: {
    credentials: { oneOf: unknown[] };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export const configSchema = readProjectJson<ConfigSchema>('schemas', 'config.json');
