import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectJetStreamStore,
  jetStreamReplyLog,
  listParkedWork,
  openJetStreamWorkQueue,
  UnsafeNatsServer,
} from '../../packages/event-store/src/jetstream/index.ts';
import { eventSubject } from '../../packages/event-store/src/jetstream/layout.ts';
import { ensureEventsStream } from '../../packages/event-store/src/jetstream/store.ts';
import { WrongExpectedRevision } from '../../packages/event-store/src/port.ts';
import { freePort } from '../support/nats-server.ts';
import {
  accountsConfPath,
  clusterConfPath,
  knowsSyncInterval,
  natsPasswords,
  natsServerBinary,
  natsServerVersion,
  workerDir,
} from './deploy-files.ts';

// The cluster of docker-compose.yml, run from the very same cluster.conf and
// accounts.conf on this machine's nats-server: three nodes on free local
// ports (the only lines changed), so the permissions and the 3-replica
// streams are shown to work, not just to parse. On a server older than 2.10
// the sync_interval line is dropped, as in compose.int.spec.ts.

interface Node {
  readonly name: string;
  readonly client: number;
  readonly monitor: number;
  readonly route: number;
}

const nodes: Node[] = [];
const children: ChildProcess[] = [];
let dir = '';

const localCopy = (conf: string, node: Node): string => {
  const routes = nodes.map((n) => `nats-route://127.0.0.1:${n.route}`);
  let out = conf
    .replace('listen: 0.0.0.0:4222', `listen: 127.0.0.1:${node.client}`)
    .replace('http: 0.0.0.0:8222', `http: 127.0.0.1:${node.monitor}`)
    .replace('listen: 0.0.0.0:6222', `listen: 127.0.0.1:${node.route}`)
    .replace('store_dir: /data/jetstream', `store_dir: ${join(dir, node.name)}`);
  nodes.forEach((n, i) => {
    out = out.replace(`nats-route://${n.name}:6222`, routes[i]!);
  });
  if (!knowsSyncInterval(natsServerVersion())) out = out.replace(/^\s*sync_interval: always\n/m, '');
  return out;
};

const healthy = async (node: Node): Promise<boolean> => {
  try {
    const response = await fetch(`http://127.0.0.1:${node.monitor}/healthz`, {
      signal: AbortSignal.timeout(500),
    });
    return response.ok;
  } catch {
    return false;
  }
};

const as = (user: string, pass: string, node = 0): Promise<NatsConnection> =>
  connect({ servers: `nats://127.0.0.1:${nodes[node]!.client}`, user, pass, maxReconnectAttempts: 0 });

/** Nine ports, all different: two calls of freePort may hand out the same one. */
const distinctPorts = async (count: number): Promise<number[]> => {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
};

const stopChildren = (): Promise<unknown> =>
  Promise.all(
    children.splice(0).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );

/**
 * Starts the three nodes and waits for all three to say healthy. A free port
 * can be taken by someone else between freePort and the node's bind, so a
 * try that does not come up is stopped and made once more on fresh ports;
 * the error names what each node printed.
 */
const startCluster = async (deadlineMs: number): Promise<string> => {
  const ports = await distinctPorts(9);
  nodes.splice(
    0,
    nodes.length,
    ...['nats-1', 'nats-2', 'nats-3'].map((name, i) => ({
      name,
      client: ports[3 * i]!,
      monitor: ports[3 * i + 1]!,
      route: ports[3 * i + 2]!,
    })),
  );
  const logs = new Map<string, string>();
  const conf = readFileSync(clusterConfPath, 'utf8');
  for (const node of nodes) {
    const file = join(dir, `${node.name}.conf`);
    rmSync(join(dir, node.name), { recursive: true, force: true });
    writeFileSync(file, localCopy(conf, node));
    const child = spawn(natsServerBinary, ['-c', file], {
      env: { ...process.env, ...natsPasswords, NATS_SERVER_NAME: node.name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) =>
      logs.set(node.name, ((logs.get(node.name) ?? '') + d.toString()).slice(-2000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.push(child);
  }
  // /healthz is ok once a node's JetStream is current with an elected meta leader.
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if ((await Promise.all(nodes.map(healthy))).every(Boolean)) return '';
    await new Promise((r) => setTimeout(r, 200));
  }
  return [...logs].map(([name, log]) => `--- ${name}\n${log}`).join('\n');
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camledger-cluster-'));
  copyFileSync(accountsConfPath, join(dir, 'accounts.conf'));
  let logs = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    logs = await startCluster(30_000);
    if (!logs) return;
    await stopChildren();
  }
  throw new Error(`the local 3-node cluster did not become healthy:\n${logs}`);
}, 75_000);

afterAll(async () => {
  await stopChildren();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Stands in for a worker: answers each command with its subject, on the worker's two channels. */
/**
 * A request to a responder on another node of the cluster: the responder's
 * interest reaches that node a moment after its own flush, so "no responders"
 * in that moment means "not yet", not "refused". Permission errors are not retried.
 */
/**
 * Asks again while the responder's interest has not yet crossed the cluster
 * routes to the asker's node: until then NATS answers "no responders" (503).
 */
const acrossCluster = async <T>(ask: () => Promise<T>): Promise<T> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      if (attempt >= 50 || !/no responders|503/i.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

const requestAcrossCluster = (nc: NatsConnection, subject: string): Promise<string> =>
  acrossCluster(async () => (await nc.request(subject, '{}', { timeout: 2000 })).string());

const serveBothChannels = (worker: NatsConnection): void => {
  for (const channel of ['camledger.cmd.>', 'camledger.internal.>'])
    worker.subscribe(channel, { queue: 'camledger-workers', callback: (_e, m) => m?.respond(m.subject) });
};

describe('the NATS cluster of docker-compose.yml', () => {
  it('forms one JetStream cluster of three nodes', async () => {
    const response = await fetch(`http://127.0.0.1:${nodes[0]!.monitor}/jsz`);
    const jsz = (await response.json()) as { meta_cluster?: { name: string; cluster_size: number } };
    expect(jsz.meta_cluster?.name).toBe('camledger');
    expect(jsz.meta_cluster?.cluster_size).toBe(3);
  });

  it("lets the worker user run the JetStream store and reply log at 3 replicas, and nothing else's streams", async () => {
    const nc = await as('worker', natsPasswords.NATS_WORKER_PASSWORD);
    try {
      const opening = connectJetStreamStore(nc, { prefix: 'camledger', replicas: 3 });
      // Below 2.12 a cluster does not keep expected sequences or refused keys
      // right (server-support.ts): the store refuses to open, before it makes
      // anything. From 2.12 on, one of many racing appends wins, as on one server.
      const [major, minor] = natsServerVersion();
      const keepsSequences = major > 2 || (major === 2 && minor >= 12);
      if (!keepsSequences) await expect(opening).rejects.toBeInstanceOf(UnsafeNatsServer);
      const store = keepsSequences ? await opening : undefined;
      const replies = await jetStreamReplyLog(nc, { prefix: 'camledger', replicas: 3, retentionMs: 60_000 });
      const item = 'item-itm_01JD3XQ4S5M7N8P9R0T1V2W3X4';
      const event = () => ({ id: crypto.randomUUID(), type: 'ItemRecorded', data: { n: 1 }, metadata: {} });
      if (!store) {
        // No store: the queue below makes the events stream; one append for it
        // to hand over, written as the store writes one.
        await ensureEventsStream(await nc.jetstreamManager(), { prefix: 'camledger', replicas: 3 });
        await nc
          .jetstream()
          .publish(
            eventSubject('camledger', item),
            JSON.stringify({ stream: item, rev: 0, events: [event()] }),
          );
      }
      if (store) {
        expect((await store.append(item, [event()], { expectedRevision: 'no_stream' })).revision).toBe(0);
        const raced = await Promise.allSettled(
          Array.from({ length: 50 }, () => store.append(item, [event()], { expectedRevision: 0 })),
        );
        expect(raced.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of raced)
          if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedRevision);
        expect(await store.readStream(item)).toHaveLength(2);
      }
      const jsm = await nc.jetstreamManager();
      expect((await jsm.streams.info('KV_camledger_replies')).config.num_replicas).toBe(3);
      // The follow-up queue: its durable consumer, parking, and the auditor's read-only listing.
      const queue = await openJetStreamWorkQueue(nc, {
        prefix: 'camledger',
        replicas: 3,
        types: ['ItemRecorded'],
      });
      const consumer = queue.consume();
      for await (const item of consumer) {
        await item.park('refused');
        break;
      }
      await consumer.close();
      await queue.close();
      expect((await listParkedWork(nc, { prefix: 'camledger' })).map((p) => p.reason)).toEqual(['refused']);
      await expect(jsm.streams.add({ name: 'other_app', subjects: ['other.>'] })).rejects.toThrow(
        /Permissions Violation|timeout/i,
      );
      expect((await jsm.streams.info('camledger_events')).config.num_replicas).toBe(3);
      await replies.close();
      await store?.close();
      // What the worker made, by name (it has no rights on the checkpoint bucket it no longer uses).
      for (const stream of ['camledger_events', 'KV_camledger_replies', 'camledger_parked'])
        await jsm.streams.delete(stream);
    } finally {
      await nc.close();
    }
  });

  it('lets the edge ask commands and get the answer, but not reach internal actions or serve commands', async () => {
    const worker = await as('worker', natsPasswords.NATS_WORKER_PASSWORD, 1);
    const edge = await as('edge', natsPasswords.NATS_EDGE_PASSWORD, 2);
    try {
      serveBothChannels(worker);
      await worker.flush();
      expect(await requestAcrossCluster(edge, 'camledger.cmd.item.move')).toBe('camledger.cmd.item.move');
      await expect(edge.request('camledger.internal.item.record', '{}', { timeout: 1000 })).rejects.toThrow(
        /Permissions Violation/,
      );
      // Nor may it listen on `cmd` itself, which would let it steal or read other users' commands.
      const errors: string[] = [];
      edge.subscribe('camledger.cmd.>', { callback: (error) => error && errors.push(error.message) });
      await edge.flush();
      await new Promise((r) => setTimeout(r, 200));
      expect(errors.join(' ')).toMatch(/Permissions Violation for Subscription/);
    } finally {
      await edge.close();
      await worker.close();
    }
  });

  it('lets internal services ask internal actions only', async () => {
    const worker = await as('worker', natsPasswords.NATS_WORKER_PASSWORD, 0);
    const internal = await as('internal', natsPasswords.NATS_INTERNAL_PASSWORD, 1);
    try {
      serveBothChannels(worker);
      await worker.flush();
      expect(await requestAcrossCluster(internal, 'camledger.internal.account.register')).toBe(
        'camledger.internal.account.register',
      );
      await expect(internal.request('camledger.cmd.item.move', '{}', { timeout: 1000 })).rejects.toThrow(
        /Permissions Violation/,
      );
    } finally {
      await internal.close();
      await worker.close();
    }
  });

  it('lets the internal user wait for the edge to see a token it issued (`camledger edge token issue`)', async () => {
    const reader = await as('reader', natsPasswords.NATS_READER_PASSWORD, 0);
    const internal = await as('internal', natsPasswords.NATS_INTERNAL_PASSWORD, 1);
    try {
      reader.subscribe('camledger.edge.credentials', {
        queue: 'camledger-queries',
        callback: (_e, m) => m?.respond(m.subject),
      });
      await reader.flush();
      expect(await requestAcrossCluster(internal, 'camledger.edge.credentials')).toBe(
        'camledger.edge.credentials',
      );
    } finally {
      await internal.close();
      await reader.close();
    }
  });

  it('lets ops see the workers through the services API ($SRV.PING), as `nats micro ls` does', async () => {
    const worker = await as('worker', natsPasswords.NATS_WORKER_PASSWORD, 0);
    const ops = await as('ops', natsPasswords.NATS_OPS_PASSWORD, 2);
    try {
      const service = await worker.services.add({ name: 'camledger-command-worker', version: '0.1.0' });
      await worker.flush();
      const client = await ops.services.client();
      const seen = await acrossCluster(async () => {
        const ids: string[] = [];
        for await (const ping of await client.ping('camledger-command-worker')) ids.push(ping.id);
        return ids;
      });
      expect(seen).toContain(service.info().id);
      await service.stop();
    } finally {
      await ops.close();
      await worker.close();
    }
  });

  it('lets ops ask the projector for its status and a rebuild (camledger projections), served by the reader', async () => {
    const reader = await as('reader', natsPasswords.NATS_READER_PASSWORD, 0);
    const ops = await as('ops', natsPasswords.NATS_OPS_PASSWORD, 2);
    try {
      reader.subscribe('camledger.projector.>', {
        queue: 'camledger-projector',
        callback: (_e, m) => m?.respond(m.subject),
      });
      await reader.flush();
      expect(await requestAcrossCluster(ops, 'camledger.projector.status')).toBe(
        'camledger.projector.status',
      );
      expect(await requestAcrossCluster(ops, 'camledger.projector.rebuild')).toBe(
        'camledger.projector.rebuild',
      );
      await expect(ops.request('camledger.cmd.item.move', '{}', { timeout: 1000 })).rejects.toThrow(
        /Permissions Violation/,
      );
    } finally {
      await ops.close();
      await reader.close();
    }
  });

  it("reports a worker container healthy only once it serves commands (the worker's health check)", async () => {
    const env = {
      ...process.env,
      NATS_MONITOR_URLS: nodes.map((n) => `http://127.0.0.1:${n.monitor}`).join(','),
      CAMLEDGER_PREFIX: 'camledger',
    };
    const check = () =>
      spawnSync('node', [join(workerDir, 'healthcheck.mjs')], { env, encoding: 'utf8' }).status;
    expect(check()).toBe(1);
    const worker = await as('worker', natsPasswords.NATS_WORKER_PASSWORD, 1);
    try {
      worker.subscribe('camledger.cmd.>', { queue: 'camledger-workers' });
      await worker.flush();
      expect(check()).toBe(0);
    } finally {
      await worker.close();
    }
  });
});
