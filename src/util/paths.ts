/**
 * Locates files shipped beside the code (schemas/). Works from src/ (tests),
 * dist/src/ (the CLI) and the Docker image alike, by walking up to package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'schemas'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('tap-zendesk: cannot find its schemas/ folder next to package.json');
    dir = up;
  }
  root = dir;
  return dir;
}

export function readProjectJson<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(projectRoot(), ...parts), 'utf8')) as T;
}

export function packageVersion(): string {
  return readProjectJson<{ version: string }>('package.json').version;
}
