/**
 * Where a derivation script reads Zendesk's source material (OAS files, docs
 * crawl, recorded responses). Only maintainers run these scripts, and the
 * material is not part of the repo: its folder is always given explicitly,
 * by flag or environment variable, so nothing in the repo reaches outside it
 * on its own. Their outputs are committed; tests read only those.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export function sourceDir(flag, envVar, what) {
  const i = process.argv.indexOf(flag);
  const given = i >= 0 ? process.argv[i + 1] : process.env[envVar];
  if (!given) {
    process.stderr.write(`${what}: give the folder with ${flag} DIR (or ${envVar}=DIR); the committed outputs need no source to build or test\n`);
    process.exit(2);
  }
  const dir = resolve(process.cwd(), given);
  if (!existsSync(dir)) {
    process.stderr.write(`${what}: ${dir} does not exist\n`);
    process.exit(2);
  }
  return dir;
}
