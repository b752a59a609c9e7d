#!/usr/bin/env node
import { run } from './cli/run.js';

// exitCode, not exit(): stdout may still be draining into a pipe.
run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tap-zendesk: internal error: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
