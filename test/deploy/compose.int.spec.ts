import { execFile, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';
import { describe, expect, it, type TestContext } from 'vitest';
import { secretsKey } from '../../packages/domain/src/index.ts';
import { readReadStoreConfig } from '../../packages/read-model/src/config.ts';
import { readEdgeConfig } from '../../services/api-edge/src/config.ts';
import { readRoles } from '../../services/camledger/src/roles-config.ts';
import { readConfig } from '../../services/command-worker/src/config.ts';
import { freePort } from '../support/nats-server.ts';
import {
  accountsConfPath,
  checkNatsConfig,
  clusterConfPath,
  composePath,
  dockerIgnored,
  knowsSyncInterval,
  natsServerBinary,
  natsServerVersion,
  readCompose,
  repoRoot,
  withComposeDefaults,
  withComposeVariables,
  workerDir,
} from './deploy-files.ts';

// What a reviewer checks in the deployment files, without a Docker engine:
// the compose file's structure, the NATS configuration as the real
// nats-server reads it, and `docker compose config` where the client exists.
// The behaviour of that configuration (cluster, replicas, permissions) is
// exercised on a live local cluster in nats-cluster.int.spec.ts.

const compose = readCompose();
const services = compose.services;
const natsNodes = ['nats-1', 'nats-2', 'nats-3'];
// The command workers run the image's own command; the read side and the edge
// run `pnpm start`'s launcher with their CAMLEDGER_ROLES.
const workers = Object.keys(services).filter(
  (name) => services[name]?.build !== undefined && !services[name]?.environment?.CAMLEDGER_ROLES,
);
const launched = Object.keys(services).filter((name) => services[name]?.environment?.CAMLEDGER_ROLES);
const envOf = (name: string) =>
  Object.fromEntries(
    Object.entries(services[name]?.environment ?? {}).map(([k, v]) => [k, withComposeDefaults(v)]),
  );
const rolesOf = (name: string) => readRoles(envOf(name));
/**
 * The connection node-postgres would open for a container with `env`, as the
 * read store opens it (a pool over DATABASE_URL): PG* variables such as
 * PGPASSWORD are read from the process environment when the client is made.
 */
const pgClientOf = (env: Record<string, string>): pg.Client => {
  const saved = process.env.PGPASSWORD;
  if (env.PGPASSWORD === undefined) delete process.env.PGPASSWORD;
  else process.env.PGPASSWORD = env.PGPASSWORD;
  try {
    return new pg.Client({ connectionString: env.DATABASE_URL });
  } finally {
    if (saved === undefined) delete process.env.PGPASSWORD;
    else process.env.PGPASSWORD = saved;
  }
};
const clusterConf = readFileSync(clusterConfPath, 'utf8');
const accountsConf = readFileSync(accountsConfPath, 'utf8');

const service = (name: string) => {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};

describe('docker-compose.yml', () => {
  it('reads the same as PyYAML reads it, when PyYAML is at hand', (ctx) => {
    const python = spawnSync(
      'python3',
      ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', composePath],
      { encoding: 'utf8' },
    );
    // Reported as skipped, not passed: nothing was compared.
    if (python.status !== 0) ctx.skip('no python3 with PyYAML here; the subset reader still runs');
    expect(JSON.parse(python.stdout)).toEqual(compose);
  });

  it('runs three NATS nodes of 2.10 or later from the one cluster.conf, each with its own name and disk', () => {
    const names = new Set<string>();
    for (const node of natsNodes) {
      const s = service(node);
      const [, major = 0, minor = 0] = /^nats:(\d+)\.(\d+)/.exec(s.image ?? '')?.map(Number) ?? [];
      expect(knowsSyncInterval([major, minor]), `${node} image ${s.image}`).toBe(true);
      expect(s.command).toEqual(['nats-server', '--config', '/etc/nats/cluster.conf']);
      expect(s.volumes).toContain('./docker/nats:/etc/nats:ro');
      expect(s.volumes).toContain(`${node}-data:/data`);
      expect(compose.volumes).toHaveProperty(`${node}-data`);
      names.add(s.environment?.NATS_SERVER_NAME ?? '');
    }
    expect([...names].sort()).toEqual(natsNodes);
  });

  it('clusters the three nodes with JetStream on disk, fsynced before each acknowledgement', () => {
    expect(clusterConf).toMatch(/^server_name: \$NATS_SERVER_NAME$/m);
    expect(clusterConf).toMatch(/^\s*sync_interval: always$/m);
    expect(clusterConf).toMatch(/^\s*store_dir: \/data\/jetstream$/m);
    expect(clusterConf).toMatch(/^cluster \{[\s\S]*name: camledger/m);
    const routes = [...clusterConf.matchAll(/nats-route:\/\/([a-z0-9-]+):6222/g)].map((m) => m[1]);
    expect(routes.sort()).toEqual(natsNodes);
    expect(clusterConf).toMatch(/^include \.\/accounts\.conf$/m);
  });

  it('gives every NATS node every password accounts.conf asks for', () => {
    const asked = [...accountsConf.matchAll(/password: \$([A-Z_]+)/g)].map((m) => m[1]);
    expect(asked.length).toBeGreaterThan(0);
    for (const node of natsNodes)
      for (const variable of asked) expect(service(node).environment, node).toHaveProperty(variable!);
  });

  it('runs two workers on EventStoreDB with streams at 3 replicas, built from the worker Dockerfile', () => {
    expect(workers.sort()).toEqual(['worker-1', 'worker-2']);
    for (const name of workers) {
      const s = service(name);
      const env = s.environment ?? {};
      expect(s.build).toEqual({ context: '.', dockerfile: 'docker/worker/Dockerfile' });
      expect(env.CAMLEDGER_STORE).toBe('eventstoredb');
      expect(env.CAMLEDGER_REPLICAS).toBe('3');
      expect(env.EVENTSTORE_CONNECTION_STRING).toBe('esdb://eventstore:2113?tls=false');
      for (const dependency of [...natsNodes, 'eventstore'])
        expect(s.depends_on?.[dependency]?.condition, `${name} waits for ${dependency}`).toBe(
          'service_healthy',
        );
      expect(s.init, `${name} runs under an init that forwards SIGTERM`).toBe(true);
    }
  });

  it('connects each worker to all three nodes as the worker user', () => {
    for (const name of workers) {
      const urls = withComposeDefaults(service(name).environment?.NATS_URL ?? '').split(',');
      const hosts = urls.map((u) => new URL(u)).map((u) => `${u.username}@${u.hostname}:${u.port}`);
      expect(hosts.sort()).toEqual(natsNodes.map((n) => `worker@${n}:4222`));
    }
  });

  it("configures the workers with values the worker's own configuration reader accepts", () => {
    for (const name of workers) {
      const env = Object.fromEntries(
        Object.entries(service(name).environment ?? {}).map(([k, v]) => [k, withComposeDefaults(v)]),
      );
      const config = readConfig(env);
      expect(config.store).toBe('eventstoredb');
      expect(config.replicas).toBe(3);
      expect(config.natsServers).toHaveLength(3);
      expect(config.prefix).toBe('camledger');
    }
  });

  it("publishes the ports that take no credentials on the host's loopback only", () => {
    // EventStoreDB runs insecure (no users) and NATS monitoring has no auth:
    // "2113:2113" would bind every interface of the host.
    const unauthenticated = ['2113', '8222'];
    let checked = 0;
    for (const [name, s] of Object.entries(services))
      for (const port of s.ports ?? []) {
        const parts = port.split(':');
        if (!unauthenticated.includes(parts.at(-1) ?? '')) continue;
        checked++;
        expect(parts, `${name} publishes ${port}`).toHaveLength(3);
        expect(parts[0], `${name} publishes ${port}`).toBe('127.0.0.1');
      }
    expect(checked).toBe(4);
    expect(service('eventstore').environment?.EVENTSTORE_INSECURE).toBe('true');
  });

  it('runs EventStoreDB in insecure dev mode on disk without projections', () => {
    const s = service('eventstore');
    expect(s.image).toMatch(/^(eventstore\/eventstore:2[4-9]\.|docker\.kurrent\.io\/.*kurrentdb)/);
    expect(s.environment).toMatchObject({
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_RUN_PROJECTIONS: 'None',
      EVENTSTORE_MEM_DB: 'false',
    });
    expect(s.volumes).toContain('eventstore-data:/var/lib/eventstore');
  });

  it("runs PostgreSQL, one projector, two query servers and the edge, each through pnpm start's launcher", () => {
    const pg = service('postgres');
    expect(pg.image).toMatch(/^postgres:1[5-9]/);
    expect(pg.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(compose.volumes).toHaveProperty('postgres-data');
    // Over TCP: the image's first-run setup server listens on the socket only.
    expect(pg.healthcheck?.test?.slice(0, 4)).toEqual(['CMD', 'pg_isready', '-h', '127.0.0.1']);
    // The same words against this machine's PostgreSQL on 127.0.0.1:5432: they say ready.
    const [, bin = '', ...args] = pg.healthcheck?.test ?? [];
    expect(spawnSync(bin, args, { encoding: 'utf8' }).status).toBe(0);

    const withRole = (role: string) => launched.filter((name) => rolesOf(name).has(role as never));
    expect(withRole('projector')).toEqual(['projector']);
    expect(withRole('queries').sort()).toEqual(['query-1', 'query-2']);
    expect(withRole('edge')).toEqual(['edge']);
    expect(withRole('commands')).toEqual([]);
    for (const name of launched) {
      const s = service(name);
      expect(s.command, name).toEqual(['node', '--import', 'tsx', 'services/camledger/src/main.ts']);
      expect(s.build, name).toEqual({ context: '.', dockerfile: 'docker/worker/Dockerfile' });
      expect(s.init, `${name} runs under an init that forwards SIGTERM`).toBe(true);
      expect(readConfig(envOf(name)).prefix, name).toBe('camledger');
    }
  });

  it('points the projector and the query servers at that PostgreSQL, the projector at EventStoreDB', () => {
    const pg = envOf('postgres');
    for (const name of ['projector', 'query-1', 'query-2']) {
      const env = envOf(name);
      const read = readReadStoreConfig(env);
      expect(read.kind, name).toBe('postgres');
      const url = new URL(env.DATABASE_URL ?? '');
      expect([url.hostname, url.port, url.username, url.pathname], name).toEqual([
        'postgres',
        '5432',
        pg.POSTGRES_USER,
        `/${pg.POSTGRES_DB}`,
      ]);
      expect(pgClientOf(env).password, name).toBe(pg.POSTGRES_PASSWORD);
      expect(service(name).depends_on?.postgres?.condition, name).toBe('service_healthy');
    }
    expect(readConfig(envOf('projector')).store).toBe('eventstoredb');
    expect(service('projector').depends_on?.eventstore?.condition).toBe('service_healthy');
  });

  it("hands the read side PostgreSQL's password whatever characters it holds", () => {
    // Inside DATABASE_URL these would end the user, the host or the path.
    const password = 'p@ss:w/rd#?%20 x';
    const withPassword = (name: string) =>
      Object.fromEntries(
        Object.entries(service(name).environment ?? {}).map(([k, v]) => [
          k,
          withComposeVariables(v, { POSTGRES_PASSWORD: password }),
        ]),
      );
    expect(
      withComposeVariables(service('postgres').environment?.POSTGRES_PASSWORD ?? '', {
        POSTGRES_PASSWORD: password,
      }),
    ).toBe(password);
    for (const name of ['projector', 'query-1', 'query-2']) {
      const client = pgClientOf(withPassword(name));
      expect([client.host, client.port, client.user, client.database, client.password], name).toEqual([
        'postgres',
        5432,
        'camledger',
        'camledger',
        password,
      ]);
    }
  });

  it('connects the read side as the reader user and the edge as the edge user, to all three nodes', () => {
    const users = (name: string) =>
      envOf(name)
        .NATS_URL?.split(',')
        .map((u) => new URL(u))
        .map((u) => `${u.username}@${u.hostname}:${u.port}`)
        .sort();
    for (const name of ['projector', 'query-1', 'query-2'])
      expect(users(name), name).toEqual(natsNodes.map((n) => `reader@${n}:4222`));
    expect(users('edge')).toEqual(natsNodes.map((n) => `edge@${n}:4222`));
  });

  it('serves the edge on port 8080 with a configuration its reader accepts, healthy by /healthz', () => {
    const config = readEdgeConfig(envOf('edge'));
    expect([config.host, config.port, config.replicas]).toEqual(['0.0.0.0', 8080, 3]);
    expect(service('edge').ports).toContain('8080:8080');
    expect(service('edge').healthcheck?.test).toEqual(['CMD', 'node', 'docker/worker/edge-healthcheck.mjs']);
  });

  it('seals OAuth secrets in the workers and opens them at the edge with the one CAMLEDGER_SECRETS_KEY set', () => {
    // Workers seal the secrets (events, reply log), the edge opens them: both
    // must follow the operator's variable, or the edge either rejects every
    // signature or everything stays under the well-known development key.
    const set = { CAMLEDGER_SECRETS_KEY: 'a production key' };
    const envWith = (name: string) =>
      Object.fromEntries(
        Object.entries(service(name).environment ?? {}).map(([k, v]) => [k, withComposeVariables(v, set)]),
      );
    for (const name of workers)
      expect(envWith(name).CAMLEDGER_SECRETS_KEY, name).toBe(set.CAMLEDGER_SECRETS_KEY);
    const edgeKey = readEdgeConfig(envWith('edge')).secretsKey;
    expect(edgeKey.development).toBe(false);
    expect(edgeKey.bytes.equals(secretsKey(set.CAMLEDGER_SECRETS_KEY).bytes)).toBe(true);
    // Unset, all of them fall back to the development key alike (and warn).
    expect(readEdgeConfig(envOf('edge')).secretsKey.development).toBe(true);
    for (const name of workers) expect(envOf(name).CAMLEDGER_SECRETS_KEY ?? '', name).toBe('');
  });

  it("the edge's healthcheck follows /healthz at the edge's own address", async () => {
    let status = 503;
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const check = () =>
      new Promise<number | null>((resolve) =>
        execFile(
          process.execPath,
          ['docker/worker/edge-healthcheck.mjs'],
          { env: { ...process.env, CAMLEDGER_EDGE_ADDR: `0.0.0.0:${port}` } },
          (error) => resolve(error ? ((error as { code?: number }).code ?? 1) : 0),
        ),
      );
    try {
      expect(await check()).toBe(1);
      status = 200;
      expect(await check()).toBe(0);
      expect(seen).toEqual(['/healthz', '/healthz']);
    } finally {
      server.close();
    }
  });

  it('health-checks the read side on the subject each serves', () => {
    expect(envOf('projector').CAMLEDGER_HEALTH_SUBJECT).toBe('camledger.projector.status');
    for (const name of ['query-1', 'query-2'])
      expect(envOf(name).CAMLEDGER_HEALTH_SUBJECT, name).toBe('camledger.query.>');
    for (const name of ['projector', 'query-1', 'query-2'])
      expect(service(name).healthcheck?.test).toEqual(['CMD', 'node', 'docker/worker/healthcheck.mjs']);
  });

  it('health-checks every service', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.healthcheck?.test?.[0], name).toMatch(/^CMD(-SHELL)?$/);
      expect(s.healthcheck?.test?.length, name).toBeGreaterThan(1);
    }
  });

  it('builds the worker on node:20-slim from the locked dependencies', () => {
    const dockerfile = readFileSync(join(workerDir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-slim$/m);
    expect(dockerfile).toMatch(/^RUN pnpm install --frozen-lockfile$/m);
    expect(dockerfile).toMatch(
      /^CMD \["node", "--import", "tsx", "services\/command-worker\/src\/main\.ts"\]$/m,
    );
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      packageManager: string;
      scripts: { start: string };
    };
    // The image runs the command worker alone; the read side's services run what
    // `pnpm start` runs (the launcher, with their CAMLEDGER_ROLES); the pnpm is package.json's.
    expect(pkg.scripts.start).toBe('tsx services/camledger/src/main.ts');
    expect(dockerfile).toContain(`npm install --global ${pkg.packageManager}`);
    expect(readFileSync(join(workerDir, 'Dockerfile.dockerignore'), 'utf8')).toMatch(/^\*\*\/node_modules$/m);
  });

  it("keeps the deployment's secrets and local data out of the image, and what it runs in", () => {
    // `COPY . .` takes the whole build context: compose's .env beside the
    // compose file (passwords, CAMLEDGER_SECRETS_KEY) would be baked into a layer.
    for (const path of [
      '.env',
      '.env.production',
      'services/camledger/.env',
      '.camledger/read/PG_VERSION',
      '.git/config',
    ])
      expect(dockerIgnored(path), path).toBe(true);
    for (const path of [
      'package.json',
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      'patches/nats@2.29.3.patch',
      'services/camledger/src/main.ts',
      'services/command-worker/src/main.ts',
      'docker/worker/healthcheck.mjs',
      'docker/worker/edge-healthcheck.mjs',
    ])
      expect(dockerIgnored(path), path).toBe(false);
    expect(readFileSync(join(repoRoot, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
  });

  it('passes `docker compose config`, when the compose client exists', (ctx) => {
    const version = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (version.status !== 0) ctx.skip('`docker compose version` fails here (no compose plugin)');
    const check = spawnSync('docker', ['compose', '-f', composePath, 'config', '-q'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('NATS configuration, as nats-server reads it', () => {
  const version = natsServerVersion();
  // The binary is installed wherever this repository's tests run; if it is not,
  // say so plainly and skip only the checks that need it.
  const haveServer = existsSync(natsServerBinary);
  const skipWithoutServer = (ctx: TestContext) => {
    if (!haveServer) ctx.skip(`${natsServerBinary} is absent (install nats-server or set NATS_SERVER_BIN)`);
  };

  it('accepts cluster.conf (on a server older than 2.10, with only its sync_interval line removed)', (ctx) => {
    skipWithoutServer(ctx);
    const real = checkNatsConfig(clusterConfPath);
    if (knowsSyncInterval(version)) {
      expect(real.output).toContain('is valid');
      expect(real.ok).toBe(true);
      return;
    }
    // 2.9 rejects exactly the line it does not know, and nothing else.
    expect(real.ok).toBe(false);
    expect(real.output).toMatch(/unknown field "sync_interval"/);
    const dir = mkdtempSync(join(tmpdir(), 'camledger-nats-conf-'));
    copyFileSync(accountsConfPath, join(dir, 'accounts.conf'));
    const copy = join(dir, 'cluster.conf');
    writeFileSync(
      copy,
      clusterConf
        .split('\n')
        .filter((line) => !/^\s*sync_interval:/.test(line))
        .join('\n'),
    );
    const withoutSync = checkNatsConfig(copy);
    expect(withoutSync.output).toContain('is valid');
    expect(withoutSync.ok).toBe(true);
  });

  it('stops each node in lame duck mode, within its grace period', async (ctx) => {
    // Docker sends stop_signal (SIGTERM unless set), then SIGKILL after
    // stop_grace_period. nats-server shuts down at once on SIGTERM; only SIGUSR2
    // enters lame duck mode, which moves the clients to the other nodes over
    // lame_duck_duration. Checked on the real server: one client connected, the
    // node must still be up a second after the signal, saying it is in lame duck.
    const seconds = (text: string | undefined) => Number(/^(\d+)s$/.exec(text ?? '')?.[1] ?? Number.NaN);
    const lameDuck = seconds(/^lame_duck_duration: (\S+)$/m.exec(clusterConf)?.[1]);
    expect(lameDuck).toBeGreaterThan(0);
    for (const node of natsNodes)
      expect(seconds(service(node).stop_grace_period), node).toBeGreaterThan(lameDuck + 5);
    skipWithoutServer(ctx);
    const signal = service('nats-1').stop_signal ?? 'SIGTERM';
    for (const node of natsNodes) expect(service(node).stop_signal ?? 'SIGTERM', node).toBe(signal);
    const dir = mkdtempSync(join(tmpdir(), 'camledger-nats-ldm-'));
    const port = await freePort();
    const conf = join(dir, 'node.conf');
    const lines = clusterConf.split('\n').filter((line) => /^lame_duck_/.test(line));
    writeFileSync(conf, [`listen: 127.0.0.1:${port}`, ...lines].join('\n'));
    const server = spawn(natsServerBinary, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    let client: NatsConnection | undefined;
    try {
      for (let attempt = 0; !client; attempt++) {
        client = await connect({ servers: `127.0.0.1:${port}`, reconnect: false }).catch((error: unknown) => {
          if (attempt >= 50) throw error;
          return new Promise<undefined>((r) => setTimeout(() => r(undefined), 100));
        });
      }
      server.kill(signal as NodeJS.Signals);
      const stoppedAtOnce = await Promise.race([
        exited.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 1000)),
      ]);
      expect(stoppedAtOnce, `${signal} stopped nats-server at once:\n${output}`).toBe(false);
      expect(output).toMatch(/lame duck mode/i);
    } finally {
      await client?.close().catch(() => {});
      server.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts accounts.conf on its own', (ctx) => {
    skipWithoutServer(ctx);
    const result = checkNatsConfig(accountsConfPath);
    expect(result.output).toContain('is valid');
    expect(result.ok).toBe(true);
  });

  it('refuses to start without the passwords, rather than running with an empty one', (ctx) => {
    skipWithoutServer(ctx);
    const run = spawnSync(natsServerBinary, ['-t', '-c', accountsConfPath], {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(/NATS_EDGE_PASSWORD/);
  });

  it('lets the edge publish commands and queries (never internal), the reader serve the read side, the internal user only internal actions', () => {
    const block = (user: string) => {
      const start = accountsConf.indexOf(`user: ${user}\n`);
      const end = accountsConf.indexOf('\n      }\n', start);
      return accountsConf.slice(start, end);
    };
    const edgePublish = block('edge').slice(
      block('edge').indexOf('publish:'),
      block('edge').indexOf('subscribe:'),
    );
    for (const subject of ['camledger.cmd.>', 'camledger.query.>', 'camledger.edge.credentials'])
      expect(edgePublish).toContain(`"${subject}"`);
    expect(edgePublish).not.toContain('camledger.internal');
    expect(edgePublish).not.toMatch(/"\$JS\.API\.>"/);
    expect(block('edge')).toContain('subscribe: { allow: ["_INBOX.>"] }');
    expect(block('reader')).toContain(
      'allow: ["camledger.query.>", "camledger.projector.>", "camledger.edge.credentials", "$SRV.>", "_INBOX.>"]',
    );
    expect(block('reader')).toContain('publish: { allow: ["_INBOX.>"] }');
    expect(block('internal')).toContain(
      'publish: { allow: ["camledger.internal.>", "camledger.edge.credentials"] }',
    );
    expect(block('internal')).toContain('subscribe: { allow: ["_INBOX.>"] }');
    expect(block('worker')).toContain(
      'allow: ["camledger.cmd.>", "camledger.internal.>", "$SRV.>", "_INBOX.>"]',
    );
    expect(block('worker')).not.toMatch(/"\$JS\.API\.>"/);
    expect(accountsConf).toMatch(/CAMLEDGER \{\n\s+jetstream: enabled/);
  });
});
