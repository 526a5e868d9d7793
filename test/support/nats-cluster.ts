import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { freePort, natsServerBinary, portAccepts } from './nats-server.ts';

// Three nats-server nodes clustered on free ports, each with a store
// directory of its own: for the checks that only a replicated stream can
// tell (the shared server on 4222 is a single node).

export interface PrivateNatsCluster {
  /** The client URLs of all three nodes, comma-separated as NATS_URL takes them. */
  readonly servers: string;
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startNatsCluster(): Promise<PrivateNatsCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'camledger-cluster-'));
  const clientPorts = [await freePort(), await freePort(), await freePort()];
  const routePorts = [await freePort(), await freePort(), await freePort()];
  const routes = routePorts.map((p) => `nats-route://127.0.0.1:${p}`).join(', ');
  const children: ChildProcess[] = [];
  let output = '';
  const dispose = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const conf = join(dir, `n${i}.conf`);
      await writeFile(
        conf,
        `port: ${clientPorts[i]}\nhost: 127.0.0.1\nserver_name: n${i}\njetstream { store_dir: "${join(dir, `js${i}`)}" }\n` +
          `cluster { name: camledger_test\n listen: 127.0.0.1:${routePorts[i]}\n routes: [${routes}] }\n`,
      );
      const child = spawn(natsServerBinary, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stderr?.on('data', (d: Buffer) => {
        output = (output + d.toString()).slice(-8000);
      });
      children.push(child);
    }
    for (const port of clientPorts)
      for (let i = 0; !(await portAccepts(port)); i++) {
        if (i > 100) throw new Error(`a cluster node did not listen on ${port}:\n${output}`);
        await sleep(100);
      }
    // JetStream answers once the nodes have elected a meta leader.
    const servers = clientPorts.map((p) => `127.0.0.1:${p}`).join(',');
    const nc = await connect({ servers: servers.split(',') });
    try {
      for (let i = 0; ; i++) {
        try {
          await (await nc.jetstreamManager()).getAccountInfo();
          break;
        } catch (error) {
          if (i > 100) throw error;
          await sleep(200);
        }
      }
    } finally {
      await nc.close();
    }
    return { servers, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
