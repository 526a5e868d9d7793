// An auditor opens the log read-only: a mistyped prefix must be told apart
// from an empty history, and must not leave a new stream behind.
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoSuchLog } from '../port.ts';
import { deleteJetStreamNamespace } from './namespace.ts';
import { connectJetStreamStore } from './store.ts';

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
