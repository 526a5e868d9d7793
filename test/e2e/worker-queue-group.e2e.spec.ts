import { createClient } from '@camledger/client';
import { connect, type NatsConnection, RequestStrategy } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceNameFor } from '../../services/command-worker/src/service.ts';
import { accepted } from '../support/fixtures.ts';
import { natsUrl, startTestWorker, type TestWorker, uniquePrefix } from '../support/test-worker.ts';

// Two workers under one prefix share one queue group and one JetStream
// namespace: each command is served by one of them, and the expected
// revision keeps a race between them from breaking a rule.

const prefix = uniquePrefix('qg');
let a: TestWorker;
let b: TestWorker;
beforeAll(async () => {
  a = await startTestWorker({ store: 'jetstream', prefix });
  b = await startTestWorker({ store: 'jetstream', prefix });
});
afterAll(async () => {
  // Both workers stop before the shared namespace is deleted under them.
  await Promise.all([a.stopWorker(), b.stopWorker()]);
  await a.stop();
  await b.stop();
});

/** Requests each instance of the service under our prefix has served so far, by instance id. */
async function servedPerInstance(nc: NatsConnection): Promise<Map<string, number>> {
  const stats = nc.services.client({ strategy: RequestStrategy.Timer, maxWait: 700 });
  const served = new Map<string, number>();
  for await (const s of await stats.stats(serviceNameFor(prefix))) {
    if (s.metadata?.prefix !== prefix) continue;
    served.set(
      s.id,
      (s.endpoints ?? []).reduce((n, e) => n + e.num_requests, 0),
    );
  }
  return served;
}

describe('two workers in one queue group', () => {
  it('50 creates of one folder name from 50 connections: exactly one 10000, 49 answered 4005', async () => {
    const actor = accepted(
      await a.client.send('account.register', { username: `qg${Date.now().toString(36)}` }),
    ).user_id as string;
    const connections = await Promise.all(Array.from({ length: 50 }, () => connect({ servers: natsUrl })));
    try {
      const outcomes = await Promise.all(
        connections.map((nc, i) =>
          createClient(nc, { prefix, timeoutMs: 15_000, retries: 0 }).send(
            'folder.create',
            // Trimming and letter case do not make a name different (DOMAIN.md §3 folder).
            { name: i % 2 === 0 ? 'Back garden' : ' BACK GARDEN ', parent_id: 0 },
            { actor },
          ),
        ),
      );
      const codes = outcomes.map((o) => o.code);
      expect(codes.filter((c) => c === 10000)).toHaveLength(1);
      expect(codes.filter((c) => c === 4005)).toHaveLength(49);
    } finally {
      await Promise.all(connections.map((nc) => nc.close()));
    }
  });

  it('shares the commands between both workers', async () => {
    const before = await servedPerInstance(a.nc);
    expect(before.size).toBe(2);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        a.client.send('account.register', { username: `qgs${i}${Date.now().toString(36)}` }),
      ),
    );
    const after = await servedPerInstance(a.nc);
    expect(after.size).toBe(2);
    // Both served some of them (the chance that one of two gets none of 40 is 2^-39).
    for (const [id, n] of after) expect(n, id).toBeGreaterThan(before.get(id) ?? 0);
    const total =
      [...after.values()].reduce((x, y) => x + y, 0) - [...before.values()].reduce((x, y) => x + y, 0);
    expect(total).toBeGreaterThanOrEqual(40);
  });
});
