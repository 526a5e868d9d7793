// An auditor opens the log read-only: a mistyped prefix must be told apart
// from an empty history, and must not leave a new stream behind.
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoSuchLog } from '../port.ts';
import { deleteJetStreamNamespace } from './namespace.ts';
import { connectJetStreamStore } from './store.ts';
import { listParkedWork, openJetStreamWorkQueue } from './work-queue.ts';

let nc: NatsConnection;
const prefix = `cltest_ro_${randomBytes(4).toString('hex')}`;
beforeAll(async () => {
  nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222' });
});
afterAll(async () => {
  await deleteJetStreamNamespace(nc, prefix);
  await nc.drain();
});

const streamNames = async () => {
  const names: string[] = [];
  for await (const page of (await nc.jetstreamManager()).streams.names()) names.push(...page);
  return names;
};

describe('the JetStream store opened read-only', () => {
  it('refuses a prefix that has no events stream, and creates none', async () => {
    const opening = connectJetStreamStore(nc, { prefix, replicas: 1, readOnly: true });
    await expect(opening).rejects.toBeInstanceOf(NoSuchLog);
    await expect(opening).rejects.toThrow(`${prefix}_events`);
    expect((await streamNames()).filter((n) => n.startsWith(prefix))).toEqual([]);
  });

  it('reads the log a writer made', async () => {
    const writer = await connectJetStreamStore(nc, { prefix, replicas: 1 });
    await writer.append(
      'item-1',
      [{ id: randomBytes(16).toString('hex'), type: 'T', data: {}, metadata: {} }],
      {
        expectedRevision: 'no_stream',
      },
    );
    const reader = await connectJetStreamStore(nc, { prefix, replicas: 1, readOnly: true });
    expect(await reader.headPosition()).toBe(1);
    expect((await reader.readStream('item-1')).map((e) => e.type)).toEqual(['T']);
    await reader.close();
    await writer.close();
  });
});

describe('the parked follow-ups of a prefix, listed read-only', () => {
  const consumerNames = async (stream: string) => {
    const names: string[] = [];
    for await (const c of (await nc.jetstreamManager()).consumers.list(stream)) names.push(c.name);
    return names;
  };

  it('are none for a prefix whose queue never ran, and listing them creates nothing', async () => {
    const other = `cltest_ro_${randomBytes(4).toString('hex')}`;
    expect(await listParkedWork(nc, { prefix: other })).toEqual([]);
    expect((await streamNames()).filter((n) => n.startsWith(other))).toEqual([]);
  });

  it('are what the queue parked, with reasons, and listing them makes or changes no consumer', async () => {
    const writer = await connectJetStreamStore(nc, { prefix, replicas: 1 });
    const queue = await openJetStreamWorkQueue(nc, { prefix, replicas: 1, types: ['UsernameClaimed'] });
    const appended = await writer.append(
      'username-ana',
      [{ id: randomBytes(16).toString('hex'), type: 'UsernameClaimed', data: { name: 'ana' }, metadata: {} }],
      { expectedRevision: 'no_stream' },
    );
    const consumer = queue.consume();
    for await (const item of consumer) {
      if (item.position !== appended.position) {
        await item.ack();
        continue;
      }
      await item.park('account.open refused 128');
      break;
    }
    await consumer.close();
    await queue.close();
    const consumersBefore = await consumerNames(`${prefix}_events`);

    const parked = await listParkedWork(nc, { prefix });
    expect(parked.map((p) => [p.position, p.reason])).toEqual([
      [appended.position, 'account.open refused 128'],
    ]);
    expect(parked[0]?.events.map((e) => e.stream)).toEqual(['username-ana']);
    expect(await consumerNames(`${prefix}_events`)).toEqual(consumersBefore);
    expect(await listParkedWork(nc, { prefix, name: 'another-queue' })).toEqual([]);
    await writer.close();
  });
});
