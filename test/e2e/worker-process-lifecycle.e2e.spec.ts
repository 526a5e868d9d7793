import { type CamledgerClient, createClient } from '@camledger/client';
import { connect, type NatsConnection, RequestStrategy } from 'nats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serviceNameFor } from '../../services/command-worker/src/service.ts';
import { accepted, registerUser } from '../support/fixtures.ts';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';
import {
  killAllWorkerProcesses,
  readyMessage,
  runWorkerToExit,
  startWorkerProcess,
} from '../support/worker-process.ts';

// The worker as an operator meets it: `pnpm start`'s entry in a process of
// its own, its exit codes, its log, its answer to SIGTERM and its presence in
// the NATS services API.

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
});
afterEach(() => killAllWorkerProcesses());
afterAll(() => nc.close());

const baseEnv = (prefix: string) => ({
  NATS_URL: natsUrl,
  CAMLEDGER_PREFIX: prefix,
  CAMLEDGER_STORE: 'memory',
});

describe('a bad configuration', () => {
  it('stops the entry with exit code 2 and a message naming the variable', async () => {
    const { code, stderr, stdout } = await runWorkerToExit({
      ...baseEnv(uniquePrefix('cfg')),
      CAMLEDGER_REPLICAS: 'zero',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('CAMLEDGER_REPLICAS');
    expect(stdout).not.toContain(readyMessage);
  });

  it('names the trash retention when it is not an ISO 8601 duration', async () => {
    const { code, stderr } = await runWorkerToExit({
      ...baseEnv(uniquePrefix('cfg')),
      CAMLEDGER_TRASH_RETENTION: 'thirty days',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('CAMLEDGER_TRASH_RETENTION');
  });
});

describe('a running worker process', () => {
  it('logs JSON lines and exactly one ready line', async () => {
    const prefix = uniquePrefix('life');
    const worker = await startWorkerProcess(baseEnv(prefix));
    const client = createClient(nc, { prefix, timeoutMs: 5_000, retries: 0 });
    await registerUser(client);
    expect(worker.lines.filter((l) => l.msg === readyMessage)).toHaveLength(1);
    expect(worker.lines.every((l) => !('raw' in l))).toBe(true);
    expect(worker.lines.find((l) => l.msg === readyMessage)).toMatchObject({ prefix, store: 'memory' });
  });

  it('is seen by $SRV.PING and $SRV.INFO under a service name that carries its prefix', async () => {
    const prefix = uniquePrefix('srv');
    const name = serviceNameFor(prefix);
    const worker = await startWorkerProcess(baseEnv(prefix));
    const services = nc.services.client({ strategy: RequestStrategy.Timer, maxWait: 700 });
    const pings = [];
    for await (const p of await services.ping(name)) pings.push(p);
    // Only this deployment answers to its name: no filtering by metadata needed.
    expect(pings.map((p) => p.metadata?.prefix)).toEqual([prefix]);

    const infos = [];
    for await (const i of await services.info(name)) infos.push(i);
    expect(infos).toHaveLength(1);
    const endpoints = infos[0]?.endpoints ?? [];
    expect(endpoints.map((e) => e.subject)).toEqual([`${prefix}.cmd.>`, `${prefix}.internal.>`]);
    expect(endpoints[0]?.metadata?.commands?.split(',')).toContain('folder.create');
    expect(endpoints.every((e) => e.queue_group === `${prefix}-workers`)).toBe(true);

    // The raw form an operator's tooling uses, addressed to this very instance.
    const raw = await nc.request(`$SRV.INFO.${name}.${pings[0]?.id}`, '', { timeout: 2_000 });
    expect(JSON.parse(raw.string())).toMatchObject({ name, metadata: { prefix } });
    expect(worker.pid).toBeGreaterThan(0);
  });

  it('on SIGTERM answers every command of a burst already sent, then exits 0', async () => {
    const prefix = uniquePrefix('term');
    const worker = await startWorkerProcess(baseEnv(prefix));
    const client: CamledgerClient = createClient(nc, { prefix, timeoutMs: 10_000, retries: 0 });
    const user = await registerUser(client);
    const burst = 200;
    const replies = Array.from({ length: burst }, () =>
      client.send('account.add_credits', { user_id: user, credits: 1 }),
    );
    await nc.flush(); // every request is at the server before the signal
    worker.kill('SIGTERM');
    const outcomes = await Promise.allSettled(replies);
    const { code } = await worker.exited;

    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(failed, String((failed[0] as PromiseRejectedResult | undefined)?.reason)).toHaveLength(0);
    for (const o of outcomes) if (o.status === 'fulfilled') accepted(o.value);
    expect(code).toBe(0);
    expect(worker.lines.some((l) => l.msg === 'stopped')).toBe(true);
  });
});
