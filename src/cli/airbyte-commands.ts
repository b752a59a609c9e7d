/**
 * The Airbyte commands (`spec`, `check`, `discover`, `read`), registered on
 * the shared parser. `discover` the command and `--discover` the Singer flag
 * coexist: a command is a positional word, the flag an option.
 */
import type { Argv } from 'yargs';
import { runCheck, runDiscover, runRead, runSpec, type AirbyteArgs } from '../protocols/airbyte/commands.js';
import { errorTrace, line } from '../protocols/airbyte/messages.js';
import { setLogLevel } from '../util/log.js';
import { airbyteFollowError } from './follow.js';

export const AIRBYTE_COMMANDS = ['spec', 'check', 'discover', 'read'] as const;

type Handler = (args: AirbyteArgs) => Promise<number>;

export function airbyteCommands<T>(parser: Argv<T>, setCode: (code: number) => void): Argv<T> {
  const register = (name: string, describe: string, run: Handler) =>
    parser.command(name, describe, () => {}, async (argv) => {
      const a = argv as unknown as AirbyteArgs & { 'log-level'?: 'debug' | 'info' | 'warn' | 'error'; follow?: boolean; 'follow-interval'?: number };
      // The handler runs inside parseAsync, before run() applies the log level.
      setLogLevel(a['log-level'] ?? (a.debug ? 'debug' : 'info'));
      if (a.follow !== undefined || a['follow-interval'] !== undefined) {
        const message = airbyteFollowError(name);
        process.stderr.write(`tap-zendesk: ${message}\n`);
        process.stdout.write(line(errorTrace({ message: `tap-zendesk ${name}: ${message}`, failure: 'config' })));
        setCode(2);
        return;
      }
      setCode(await run({ config: a.config, catalog: a.catalog, state: a.state, debug: Boolean(a.debug) }));
    });
  register('spec', 'Airbyte: print the connector specification (SPEC)', () => runSpec());
  register('check', 'Airbyte: test the config against Zendesk (CONNECTION_STATUS); needs --config', runCheck);
  register('discover', 'Airbyte: print the streams (CATALOG); needs --config', runDiscover);
  register('read', 'Airbyte: read the configured streams; needs --config and --catalog, optional --state', runRead);
  return parser;
}

/**
 * A command-line usage error of an Airbyte command (unknown flag, ...) is a
 * fatal error too: the platform reads stdout, so it gets one ERROR trace.
 * Returns whether argv was an Airbyte command.
 */
export function reportAirbyteUsageError(argv: string[], message: string): boolean {
  const command = argv.find((a) => !a.startsWith('-'));
  if (!command || !(AIRBYTE_COMMANDS as readonly string[]).includes(command) || argv.indexOf(command) !== 0) return false;
  process.stdout.write(line(errorTrace({ message: `tap-zendesk ${command}: ${message}`, failure: 'config' })));
  return true;
}
