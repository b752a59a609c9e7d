/** Airbyte commands are registered here by the Airbyte adapter (see src/protocols/airbyte). */
import type { Argv } from 'yargs';

export function airbyteCommands<T>(parser: Argv<T>, _setCode: (code: number) => void): Argv<T> {
  return parser;
}
