/**
 * yargs, loaded through its CommonJS entry on purpose: the ESM entry renders
 * --help with cliui's ESM build, which wraps by characters and splits words
 * ("--state S / TATE"); the CommonJS build wraps with wrap-ansi, at word
 * boundaries.
 */
import { createRequire } from 'node:module';
import type yargsType from 'yargs';

export const yargs = createRequire(import.meta.url)('yargs') as typeof yargsType;

/** The width --help wraps at: the terminal's, else $COLUMNS, else 80 (pipes, CI logs). */
export function helpWidth(): number {
  const fromEnv = Number(process.env.COLUMNS);
  return process.stdout.columns || (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80);
}
