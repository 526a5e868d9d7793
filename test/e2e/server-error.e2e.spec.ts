import { memoryEventStore, memoryReplyLog } from '@camledger/event-store';
import { createRuntimeDeps } from '@camledger/runtime';
import { connect, type NatsConnection } from 'nats';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../../services/command-worker/src/service.ts';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';

// A store that fails in a way the worker cannot foresee: the client must get
// 1500 with nothing of the failure in it, and the worker must go on serving.
describe('an unexpected failure inside the worker', () => {
  const prefix = uniquePrefix('err');
  const secret = 'ECONNRESET at 10.1.2.3:2113 password=hunter2';
  let nc: NatsConnection;
  let running: RunningService;
  let failing = true;

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl });
    const store = memoryEventStore();
    const sabotaged = Object.assign(Object.create(store), {
      readStream: (...args: Parameters<typeof store.readStream>) =>
        failing ? Promise.reject(new Error(secret)) : store.readStream(...args),
    });
    const log = pino({ level: 'silent' });
    running = await startService(nc, {
      ...createRuntimeDeps({ store: sabotaged, replies: memoryReplyLog(), log }),
      prefix,
      log,
    });
  });
  afterAll(async () => {
    await running.drain();
    await nc.close();
  });

  const send = async (commandId: string) => {
    const body = JSON.stringify({
      command_id: commandId,
      correlation_id: 'corr-42',
      actor: 'system',
      payload: { username: 'dana' },
    });
    const reply = await nc.request(`${prefix}.internal.account.register`, body, { timeout: 5000 });
    return { text: reply.string(), json: JSON.parse(reply.string()) as Record<string, unknown> };
  };

  it('answers 1500 with the generic message and the correlation id, and no internals', async () => {
    const { text, json } = await send('cmd-1');
    expect(json).toEqual({
      ok: false,
      code: 1500,
      error: 'ServerError',
      message: 'Generic Server Error',
      details: { correlation_id: 'corr-42' },
    });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('ECONNRESET');
  });

  it('does not remember a 1500: the same command succeeds once the fault is gone', async () => {
    failing = false;
    expect((await send('cmd-1')).json).toMatchObject({ ok: true, code: 10000 });
  });
});
