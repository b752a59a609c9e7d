#!/usr/bin/env node
// `npm run gen:types`: writes src/generated/{streams,stream-keys,config}.ts from
// schemas/streams/*.json and schemas/config.json. See gen-types-lib.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateTypes, ROOT } from './gen-types-lib.mjs';

const files = await generateTypes();
for (const [rel, content] of files) {
  const abs = join(ROOT, rel);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  console.log(`wrote ${rel}`);
}
