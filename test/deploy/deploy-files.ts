import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { natsServerBinary } from '../support/nats-server.ts';

// The deployment files under test, read the way their consumers read them.

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const composePath = join(repoRoot, 'docker-compose.yml');
export const natsDir = join(repoRoot, 'docker', 'nats');
export const clusterConfPath = join(natsDir, 'cluster.conf');
export const accountsConfPath = join(natsDir, 'accounts.conf');
export const workerDir = join(repoRoot, 'docker', 'worker');

export { natsServerBinary };

export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly volumes?: readonly string[];
  readonly ports?: readonly string[];
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>>;
  readonly healthcheck?: { readonly test: readonly string[] };
  readonly init?: boolean;
  readonly stop_signal?: string;
  readonly stop_grace_period?: string;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes: Readonly<Record<string, unknown>>;
}

type Yaml = string | number | boolean | Yaml[] | { [key: string]: Yaml };

/** A scalar or flow value of the subset: JSON strings, lists and `{}`, numbers, booleans, bare words. */
function scalar(text: string): Yaml {
  if (/^["[{]/.test(text)) return JSON.parse(text) as Yaml;
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/**
 * Reads the YAML subset docker-compose.yml keeps to (see its header): block
 * mappings by two-space indentation, `- ` lists of scalars, JSON flow values,
 * whole-line comments. Anything outside the subset throws, naming the line, so
 * the file cannot drift into YAML this reader would misread.
 */
export function parseComposeYaml(text: string): Yaml {
  const lines = text
    .split('\n')
    .map((raw, i) => ({ raw, n: i + 1 }))
    .filter(({ raw }) => raw.trim() !== '' && !/^\s*#/.test(raw));
  let at = 0;
  const block = (indent: number): Yaml => {
    if (lines[at]?.raw.startsWith(`${' '.repeat(indent)}- `)) {
      const list: Yaml[] = [];
      while (lines[at]?.raw.startsWith(`${' '.repeat(indent)}- `)) {
        list.push(scalar(lines[at]!.raw.slice(indent + 2).trim()));
        at++;
      }
      return list;
    }
    const map: { [key: string]: Yaml } = {};
    while (at < lines.length) {
      const { raw, n } = lines[at]!;
      const depth = raw.length - raw.trimStart().length;
      if (depth < indent) break;
      const m = /^([A-Za-z0-9_.-]+):(?: (.*))?$/.exec(raw.slice(indent));
      if (depth !== indent || !m)
        throw new Error(`docker-compose.yml:${n} is outside the YAML subset: ${raw}`);
      at++;
      map[m[1]!] = m[2] === undefined ? block(indent + 2) : scalar(m[2].trim());
    }
    return map;
  };
  return block(0);
}

export function readCompose(): ComposeFile {
  return parseComposeYaml(readFileSync(composePath, 'utf8')) as unknown as ComposeFile;
}

/** `${VAR:-default}` as compose would expand it with VAR unset. */
export const withComposeDefaults = (value: string): string =>
  value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, (_all, fallback: string) => fallback);

/** `${VAR:-default}` as compose would expand it with `vars` set (an empty value counts as unset, as `:-` does). */
export const withComposeVariables = (value: string, vars: Readonly<Record<string, string>>): string =>
  value.replace(
    /\$\{([A-Z0-9_]+):-([^}]*)\}/g,
    (_all, name: string, fallback: string) => vars[name] || fallback,
  );

/**
 * Whether the worker image's build leaves `path` (relative to the repository
 * root, the build context) out, as BuildKit reads Dockerfile.dockerignore:
 * `**` any number of directories, `*` and `?` within one name, a pattern that
 * matches a directory matches what is under it, the last matching line wins
 * (`!` lines put a path back).
 */
export function dockerIgnored(path: string): boolean {
  const patterns = readFileSync(join(workerDir, 'Dockerfile.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  let ignored = false;
  for (const line of patterns) {
    const negated = line.startsWith('!');
    const glob = (negated ? line.slice(1) : line).replace(/^\/+/, '');
    const source = glob
      .split(/(\*\*\/?|\*|\?)/)
      .map((part) =>
        part === '**/'
          ? '(?:.*/)?'
          : part === '**'
            ? '.*'
            : part === '*'
              ? '[^/]*'
              : part === '?'
                ? '[^/]'
                : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
      )
      .join('');
    if (new RegExp(`^${source}(?:/.*)?$`).test(path)) ignored = !negated;
  }
  return ignored;
}

/** The passwords accounts.conf reads from the environment, with throwaway values. */
export const natsPasswords = {
  NATS_EDGE_PASSWORD: 'edge-test',
  NATS_INTERNAL_PASSWORD: 'internal-test',
  NATS_WORKER_PASSWORD: 'worker-test',
  NATS_OPS_PASSWORD: 'ops-test',
  NATS_ADMIN_PASSWORD: 'admin-test',
  NATS_READER_PASSWORD: 'reader-test',
} as const;

/** `nats-server -t -c <file>`: does the server accept the configuration? */
export function checkNatsConfig(
  file: string,
  env: Record<string, string> = {},
): { ok: boolean; output: string } {
  const run = spawnSync(natsServerBinary, ['-t', '-c', file], {
    env: { ...process.env, ...natsPasswords, NATS_SERVER_NAME: 'nats-test', ...env },
    encoding: 'utf8',
  });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}

/** `[major, minor]` of the nats-server binary, e.g. [2, 9]. */
export function natsServerVersion(): readonly [number, number] {
  const run = spawnSync(natsServerBinary, ['--version'], { encoding: 'utf8' });
  const m = /v(\d+)\.(\d+)/.exec(`${run.stdout}${run.stderr}`);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** `sync_interval` arrived in nats-server 2.10. */
export const knowsSyncInterval = ([major, minor]: readonly [number, number]): boolean =>
  major > 2 || (major === 2 && minor >= 10);
