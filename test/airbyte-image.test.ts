/**
 * The Airbyte image, checked without a Docker engine: the Dockerfile against
 * metadata.yaml and Airbyte's image rules (CAT test_image_labels,
 * test_image_environment_variables; airbyte-protocol-docker.md), and the
 * entrypoint against the built dist/.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/airbyte.js';
import { ALL_STREAMS } from '../src/streams/registry.js';
import { airbyteSpec } from '../src/protocols/airbyte/spec.js';

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let buf = '';
  for (const raw of text.split('\n')) {
    const lineText = raw.trim();
    if (!buf && (lineText.startsWith('#') || lineText === '')) continue;
    if (lineText.startsWith('#')) continue;
    if (lineText.endsWith('\\')) {
      buf += `${lineText.slice(0, -1)} `;
      continue;
    }
    buf += lineText;
    const m = /^(\w+)\s+([\s\S]*)$/.exec(buf.trim());
    if (m) out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim() });
    buf = '';
  }
  return out;
}

/** `KEY=value KEY2="value 2"` (ENV and LABEL forms) to a map. */
function keyValues(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)/g;
  for (let m = re.exec(args); m; m = re.exec(args)) {
    out[m[1]!] = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
  }
  return out;
}

const dockerfile = instructions(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const metadata = parse(readFileSync(join(ROOT, 'metadata.yaml'), 'utf8')) as { data: Record<string, any>; metadataSpecVersion: string };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };

const stages = (() => {
  const out: Instruction[][] = [];
  for (const i of dockerfile) {
    if (i.op === 'FROM') out.push([]);
    out.at(-1)?.push(i);
  }
  return out;
})();
const runtime = stages.at(-1)!;
const env = Object.assign({}, ...runtime.filter((i) => i.op === 'ENV').map((i) => keyValues(i.args))) as Record<string, string>;
const labels = Object.assign({}, ...runtime.filter((i) => i.op === 'LABEL').map((i) => keyValues(i.args))) as Record<string, string>;
const entrypoint = (() => {
  const e = runtime.filter((i) => i.op === 'ENTRYPOINT').at(-1);
  return e ? (JSON.parse(e.args) as string[]) : undefined;
})();
const workdir = runtime.filter((i) => i.op === 'WORKDIR').at(-1)?.args;

describe('Dockerfile', () => {
  it('is multi-stage on node:22 in every stage', () => {
    const froms = dockerfile.filter((i) => i.op === 'FROM').map((i) => i.args.split(/\s+/)[0]!);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const image of froms) expect(image).toMatch(/^node:22([-.@]|$)/);
  });

  it('installs production dependencies only in the runtime image', () => {
    const runs = dockerfile.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /npm ci\b.*--omit=dev/.test(r) || /npm prune\b.*--omit=dev/.test(r))).toBe(true);
    // The runtime's node_modules come from the production-only install.
    const copyModules = runtime.filter((i) => i.op === 'COPY' && /node_modules/.test(i.args));
    expect(copyModules).toHaveLength(1);
    const from = /--from=(\S+)/.exec(copyModules[0]!.args)?.[1];
    const source = stages.find((s) => new RegExp(`\\bAS\\s+${from}\\b`, 'i').test(s[0]!.args));
    expect(source?.some((i) => i.op === 'RUN' && /npm (ci|prune)\b.*--omit=dev/.test(i.args))).toBe(true);
    expect(runtime.some((i) => i.op === 'RUN' && /npm ci\b(?!.*--omit=dev)/.test(i.args))).toBe(false);
  });

  it('has ENTRYPOINT as a JSON array of absolute paths equal to AIRBYTE_ENTRYPOINT', () => {
    expect(entrypoint).toBeDefined();
    expect(entrypoint!.length).toBeGreaterThanOrEqual(2);
    for (const part of entrypoint!.filter((p) => !p.startsWith('-'))) expect(part.startsWith('/'), part).toBe(true);
    expect(env.AIRBYTE_ENTRYPOINT).toBe(entrypoint!.join(' '));
  });

  it('runs an init as PID 1 (tini), installed in the runtime stage, in front of node', () => {
    // PID 1 gets no default signal actions: without an init, SIGTERM from `docker stop` or
    // Airbyte's cancel would be ignored until the kill timeout.
    const [init, separator, node, script] = entrypoint!;
    expect(init).toMatch(/\/tini$/);
    expect(separator).toBe('--');
    expect(node).toMatch(/\/node$/);
    expect(script).toMatch(/\.js$/);
    const runs = runtime.filter((i) => i.op === 'RUN').map((i) => i.args);
    const base = runtime[0]!.args.split(/\s+/)[0]!;
    if (/alpine/.test(base)) {
      expect(runs.some((r) => /apk add\b.*\btini\b/.test(r))).toBe(true);
      expect(init).toBe('/sbin/tini');
    } else {
      // Debian's tini package installs /usr/bin/tini.
      const install = runs.find((r) => /apt-get install\b.*\btini\b/.test(r));
      expect(install, 'apt-get install tini').toBeDefined();
      expect(install).toMatch(/--no-install-recommends/);
      expect(install).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
      expect(init).toBe('/usr/bin/tini');
    }
    // Installed before the switch to the unprivileged user.
    const installAt = runtime.findIndex((i) => i.op === 'RUN' && /\btini\b/.test(i.args));
    const userAt = runtime.findIndex((i) => i.op === 'USER');
    expect(installAt).toBeLessThan(userAt);
  });

  it('runs as the non-root user airbyte, with /airbyte owned by it', () => {
    const users = dockerfile.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(users.at(-1)).toBe('airbyte');
    const runs = runtime.filter((i) => i.op === 'RUN').map((i) => i.args).join(' && ');
    expect(runs).toMatch(/useradd\b[^&]*\bairbyte\b/);
    expect(runs).toMatch(/mkdir -p \/airbyte\b/);
    expect(runs).toMatch(/chown (-R )?airbyte(:airbyte)? \/airbyte\b/);
  });

  it('labels the image with metadata.yaml dockerRepository and dockerImageTag', () => {
    expect(labels['io.airbyte.name']).toBe(metadata.data.dockerRepository);
    expect(labels['io.airbyte.version']).toBe(metadata.data.dockerImageTag);
    expect(metadata.data.dockerImageTag).toBe(pkg.version);
  });

  it('the entrypoint script is the built CLI, shipped with package.json and schemas/', () => {
    expect(workdir).toBeDefined();
    const script = entrypoint!.find((p) => p.endsWith('.js'))!;
    expect(script.startsWith(`${workdir}/`)).toBe(true);
    const relative = posix.relative(workdir!, script);
    expect(relative).toBe('dist/src/main.js');
    expect(existsSync(join(ROOT, relative)), `${relative} missing: run npx tsc -p tsconfig.json`).toBe(true);
    // package.json's bin points at the same file.
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin['tap-zendesk']).toBe(relative);
    // The runtime stage copies what the CLI reads next to itself (src/util/paths.ts).
    const copies = runtime.filter((i) => i.op === 'COPY').map((i) => i.args);
    for (const needed of ['dist/src', 'package.json', 'schemas']) {
      expect(copies.some((c) => c.includes(needed)), `COPY of ${needed}`).toBe(true);
    }
  });

  it('.dockerignore keeps node_modules, dist and local files out of the build context', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const allowAll = ignore[0] === '*';
    if (allowAll) {
      expect(ignore).not.toContain('!node_modules');
      expect(ignore).not.toContain('!dist');
      for (const needed of ['!package.json', '!package-lock.json', '!src/', '!schemas/']) expect(ignore).toContain(needed);
      // Every file a COPY takes from the build context is let in.
      for (const copy of dockerfile.filter((i) => i.op === 'COPY' && !i.args.includes('--from='))) {
        const sources = copy.args.split(/\s+/).filter((p) => !p.startsWith('--')).slice(0, -1);
        for (const src of sources) expect(ignore.some((l) => l === `!${src}` || l === `!${src}/`), `${src} is excluded by .dockerignore`).toBe(true);
      }
    } else {
      expect(ignore).toEqual(expect.arrayContaining(['node_modules', 'dist']));
    }
  });

  it('the runtime layout the COPY lines build runs the entrypoint from any working directory', () => {
    // Rebuild /airbyte/integration_code in a temp dir from the runtime stage's COPY lines:
    // a path from another stage is that stage's WORKDIR + the repo path; node_modules is linked.
    const root = mkdtempSync(join(tmpdir(), 'tap-zendesk-image-'));
    const target = (dest: string) => join(root, posix.resolve(workdir!, dest));
    for (const copy of runtime.filter((i) => i.op === 'COPY')) {
      const parts = copy.args.split(/\s+/);
      const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
      const [src, dest] = parts.filter((p) => !p.startsWith('--'));
      let repoPath = src!;
      if (from) {
        const stage = stages.find((st) => new RegExp(`\\bAS\\s+${from}\\b`, 'i').test(st[0]!.args))!;
        const stageDir = stage.filter((i) => i.op === 'WORKDIR').at(-1)!.args;
        repoPath = posix.relative(stageDir, src!);
      }
      const out = target(dest!);
      mkdirSync(dirname(out), { recursive: true });
      if (repoPath === 'node_modules') symlinkSync(join(ROOT, 'node_modules'), out);
      else cpSync(join(ROOT, repoPath), out, { recursive: true });
    }
    // What follows the init and its `--` is node and the script.
    const [node, ...script] = entrypoint!.slice(entrypoint!.indexOf('--') + 1);
    expect(node).toMatch(/\/node$/);
    const run = spawnSync(process.execPath, [...script.map((p) => join(root, p)), 'spec'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const spec = JSON.parse(run.stdout.trim());
    expect(spec.type).toBe('SPEC');
    expect(spec.spec.connectionSpecification.properties.subdomain).toBeDefined();
  });
});

describe('metadata.yaml', () => {
  it('describes a source image with allowedHosts, suggestedStreams and a heartbeat window', () => {
    const d = metadata.data;
    expect(metadata.metadataSpecVersion).toBe('1.0');
    expect(d.connectorType).toBe('source');
    expect(d.definitionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(d.dockerRepository).toMatch(/^[a-z0-9._/-]+\/source-[a-z0-9-]+$/);
    expect(d.allowedHosts.hosts).toEqual(expect.arrayContaining(['${subdomain}.zendesk.com']));
    const names = new Set(ALL_STREAMS.map((s) => s.name));
    expect(d.suggestedStreams.streams.length).toBeGreaterThan(0);
    for (const s of d.suggestedStreams.streams) expect(names.has(s), `suggested stream ${s}`).toBe(true);
    expect(Number.isInteger(d.maxSecondsBetweenMessages)).toBe(true);
    // Longer than the longest silence: a default request timeout (120 s) or a rate-limit heartbeat (20 s).
    expect(d.maxSecondsBetweenMessages).toBeGreaterThan(120);
  });

  it('points at the same documentation as the SPEC: the README of the package\'s repository', () => {
    expect(metadata.data.documentationUrl).toBe(airbyteSpec().documentationUrl);
    const meta = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { homepage?: string; repository?: { url?: string } };
    // One source of truth: package.json homepage (the SPEC reads it), the repository's README.
    expect(metadata.data.documentationUrl).toBe(meta.homepage);
    const repo = /^git\+(https:\/\/github\.com\/[\w.-]+\/[\w.-]+?)(\.git)?$/.exec(meta.repository?.url ?? '')?.[1];
    expect(repo, 'package.json repository.url').toBeDefined();
    expect(meta.homepage).toBe(`${repo}#readme`);
    expect(existsSync(join(ROOT, 'README.md'))).toBe(true);
    expect(labels['org.opencontainers.image.documentation']).toBe(meta.homepage);
    expect(labels['org.opencontainers.image.source']).toBe(repo);
  });

  it('states the licence of package.json, and the repo and image carry its text', () => {
    expect(metadata.data.license).toBe(pkg.license);
    expect(labels['org.opencontainers.image.licenses']).toBe(pkg.license);
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(text).toMatch(/END OF TERMS AND CONDITIONS/);
    expect(text.length).toBeGreaterThan(10_000); // the full text, not a pointer to it
    expect(runtime.some((i) => i.op === 'COPY' && /\bLICENSE\b/.test(i.args)), 'COPY LICENSE').toBe(true);
  });
});
