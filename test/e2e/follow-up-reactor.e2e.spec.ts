import { randomUUID } from 'node:crypto';
import { connectJetStreamStore, jetStreamCheckpoints } from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepted } from '../support/fixtures.ts';
import { natsUrl, startTestWorker, type TestWorker, uniquePrefix } from '../support/test-worker.ts';

// A worker appended a username claim and was killed before its follow-up
// opened the account, and the client never retried. The next worker to start
// resumes the log from the reactors' checkpoint and finishes the job on its
// own: the user becomes able to act.
describe('a follow-up lost in a crash', () => {
  const prefix = uniquePrefix('heal');
  const userId = 'usr_01JD3XQ4S5M7N8P9R0T1V2W3X4';
  let nc: NatsConnection;
  let w: TestWorker | undefined;

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl });
    // An earlier worker served a while, so the reactors have a checkpoint.
    const earlier = await startTestWorker({ store: 'jetstream', prefix });
    accepted(await earlier.client.account.register({ username: 'early' }));
    await earlier.stopWorker();
    await earlier.nc.close();
    expect(await (await jetStreamCheckpoints(nc, { prefix, replicas: 1 })).load('follow-ups')).toMatch(
      /^\d{16}\.\d{6}$/,
    );
    // Then a worker appended this claim and died before its follow-up.
    const store = await connectJetStreamStore(nc, { prefix, replicas: 1 });
    await store.append(
      'username-orphan',
      [
        {
          id: randomUUID(),
          type: 'UsernameClaimed',
          data: { userId, username: 'orphan', displayName: '' },
          metadata: {
            commandId: 'lost-1',
            correlationId: 'lost-1',
            actor: 'system',
            occurredAt: new Date().toISOString(),
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await store.close();
  });
  afterAll(async () => {
    await w?.stop();
    await nc.close();
  });

  it('is run by the next worker: the account opens without any retry', async () => {
    w = await startTestWorker({ store: 'jetstream', prefix });
    const act = () => w!.client.folder.create({ name: 'Garden', parent_id: 0 }, { actor: userId });
    let outcome = await act();
    for (let tries = 0; !outcome.ok && outcome.code === 8 && tries < 50; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      outcome = await act();
    }
    expect(outcome).toMatchObject({ ok: true, code: 10000 });
  });
});
