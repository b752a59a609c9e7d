import { startEmulator, CREDENTIALS } from './index.js';
import type { EmulatorInit, FaultOptions } from './options.js';

/**
 * `node dist/test/emulator/cli.js [--port 4010] [--tickets N] [--users N]
 *   [--organizations N] [--calls N] [--chats N] [--articles N] [--posts N] [--seed N] [--no-rate-limits] [--faults light|heavy]
 *   [--latency MS] [--password-auth]`
 * Runs until SIGINT/SIGTERM. Under child_process.fork it reports
 * `{ ready: true, url }` to the parent.
 */

const FAULT_PRESETS: Record<string, FaultOptions> = {
  none: {},
  light: { rate429: 0.02, rate503: 0.01, rate5xx: 0.01, rateReset: 0.005, rateTruncated: 0.005, rateSlow: 0.01, slowMs: 500 },
  heavy: { rate429: 0.1, rate503: 0.05, rate5xx: 0.05, rateReset: 0.03, rateTruncated: 0.03, rateSlow: 0.05, slowMs: 1500 },
};

function parse(argv: string[]): EmulatorInit {
  const o: EmulatorInit = {};
  const sizes: Record<string, number> = {};
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++k];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port':
        o.port = Number(value());
        break;
      case '--host':
        o.host = value();
        break;
      case '--seed':
        o.seed = Number(value());
        break;
      case '--tickets':
      case '--users':
      case '--organizations':
      case '--calls':
      case '--chats':
      case '--articles':
      case '--posts':
        sizes[flag.slice(2)] = Number(value());
        break;
      case '--no-rate-limits':
        o.rateLimits = false;
        break;
      case '--faults': {
        const preset = FAULT_PRESETS[value()];
        if (!preset) throw new Error(`--faults: one of ${Object.keys(FAULT_PRESETS).join(', ')}`);
        o.faults = { ...preset, faultSeed: 1 };
        break;
      }
      case '--latency':
        o.latencyMs = Number(value());
        break;
      case '--password-auth':
        o.passwordAuth = true;
        break;
      case '--help':
        process.stderr.write('usage: cli.js [--port 4010] [--tickets N] [--users N] [--organizations N] [--calls N] [--chats N] [--articles N] [--posts N] [--seed N] [--no-rate-limits] [--faults none|light|heavy] [--latency MS] [--password-auth]\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  if (Object.keys(sizes).length) o.sizes = sizes;
  return o;
}

const opts = parse(process.argv.slice(2));
const emu = await startEmulator({ port: 4010, ...opts });
process.stderr.write(
  `Zendesk emulator listening on ${emu.url} (subdomain ${CREDENTIALS.subdomain}, api token ${CREDENTIALS.email}/token:${CREDENTIALS.apiToken}, bearer ${CREDENTIALS.accessToken})\n`,
);
if (process.send) process.send({ ready: true, url: emu.url });

const stop = (): void => {
  void emu.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
