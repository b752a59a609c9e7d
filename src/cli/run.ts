/**
 * Command-line entry. Singer flags (`--config`, `--discover`, `--catalog`,
 * `--properties`, `--state`, `--about`) and Airbyte commands (`spec`,
 * `check`, `discover`, `read`) share one binary.
 */
import { helpWidth, yargs } from './yargs.js';
import { TapError } from '../util/errors.js';
import { log, redact, setLogLevel } from '../util/log.js';
import { packageVersion } from '../util/paths.js';
import { about, singerDiscover, singerSync } from './singer.js';
import { airbyteCommands, reportAirbyteUsageError } from './airbyte-commands.js';
import { followMisuse } from './follow.js';

export async function run(argv: string[]): Promise<number> {
  let code = 0;
  let debug = argv.includes('--debug');
  let usageError: string | undefined;
  const parser = yargs(argv)
    .scriptName('tap-zendesk')
    .usage('Singer:  tap-zendesk --config CONFIG [--discover | --catalog CATALOG] [--state STATE]\nAirbyte: tap-zendesk spec | check --config C | discover --config C | read --config C --catalog CONFIGURED [--state S]')
    .option('config', { alias: 'c', type: 'string', describe: 'Config JSON file' })
    .option('discover', { alias: 'd', type: 'boolean', describe: 'Print the Singer catalog' })
    .option('catalog', { type: 'string', describe: 'Singer catalog with selections' })
    .option('properties', { alias: 'p', type: 'string', describe: 'Legacy name of --catalog' })
    .option('state', { alias: 's', type: 'string', describe: 'State JSON file (the value of the last STATE message)' })
    .option('about', { type: 'boolean', describe: 'Print name, version, capabilities and settings' })
    .option('format', { choices: ['json', 'markdown'] as const, default: 'json' as const, describe: 'Format of --about' })
    .option('follow', { type: 'boolean', describe: 'Singer: keep syncing; read the incremental streams again every follow_interval seconds (default 60)' })
    .option('follow-interval', { type: 'number', describe: 'Seconds between follow cycles (overrides follow_interval)' })
    .option('debug', { type: 'boolean', describe: 'Log requests and print stack traces on errors' })
    .option('log-level', { choices: ['debug', 'info', 'warn', 'error'] as const, describe: 'stderr log level (default info)' })
    .strict()
    .help()
    .version('version', 'Print the version', packageVersion())
    .alias('version', 'V')
    .wrap(helpWidth())
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      usageError = msg;
    });
  airbyteCommands(parser, (c) => {
    code = c;
  });
  try {
    const args = await parser.parseAsync();
    if (usageError) {
      process.stderr.write(`tap-zendesk: ${usageError} (see tap-zendesk --help)\n`);
      reportAirbyteUsageError(argv, usageError);
      return 2;
    }
    debug = Boolean(args.debug);
    setLogLevel(args['log-level'] ?? (debug ? 'debug' : 'info'));
    if (args._.length > 0 || args.help || args.version) return code;
    const misuse = followMisuse(args);
    if (misuse) {
      process.stderr.write(`tap-zendesk: ${misuse}\n`);
      return 2;
    }
    if (args.about) {
      process.stdout.write(about(args.format));
      return 0;
    }
    if (!args.config) {
      process.stderr.write('tap-zendesk: --config CONFIG is required (see sample-config.json; tap-zendesk --about lists the settings)\n');
      return 2;
    }
    if (args.discover) return await singerDiscover(args.config);
    return await singerSync({ config: args.config, catalog: args.catalog ?? args.properties, state: args.state, follow: args.follow, followInterval: args['follow-interval'] });
  } catch (err) {
    return reportFatal(err, debug);
  }
}

/** One readable line on stderr; the stack only with --debug. */
export function reportFatal(err: unknown, debug: boolean): number {
  const message = err instanceof Error ? err.message : String(err);
  const kind = err instanceof TapError ? (err.failure === 'config' ? 'error' : err.failure === 'transient' ? 'temporary error' : 'internal error') : 'internal error';
  // A config with several problems has one per line: each gets the prefix.
  for (const line of redact(message).split('\n')) process.stderr.write(`tap-zendesk: ${kind}: ${line}\n`);
  if (debug && err instanceof Error && err.stack) log.debug(err.stack);
  else if (!(err instanceof TapError)) process.stderr.write('tap-zendesk: run again with --debug for details\n');
  return err instanceof TapError && err.failure === 'config' ? 2 : 1;
}
