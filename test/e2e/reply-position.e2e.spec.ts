import type { EventStore, RecordedEvent } from '@camledger/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

// An accepted reply's `position` is where the client's later reads must have
// caught up to (min_position): the furthest event the command appended, its
// follow-ups' included. Checked on the wire, against the events read back
// from the JetStream store the worker wrote.
describe('the position of an accepted reply', () => {
  let w: TestWorker;
  let store: EventStore;

  beforeAll(async () => {
    w = await startTestWorker({ store: 'jetstream' });
    store = await w.readBack();
  });
  afterAll(async () => {
    await w?.stop();
  });

  it("is the last event's position, the follow-up's, and a retry answers the same", async () => {
    const commandId = `pos-${w.prefix}`;
    const body = JSON.stringify({
      command_id: commandId,
      actor: 'system',
      payload: { username: 'positioned' },
    });
    const reply = await w.raw('internal.account.register', body);
    expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true, code: 10000 });

    const written: RecordedEvent[] = [];
    for await (const e of store.readAll()) {
      const id = String(e.metadata.commandId);
      if (id === commandId || id.startsWith(`${commandId}>`)) written.push(e);
    }
    // The reservation, then account.open's event as its follow-up, later in the log.
    expect(written.map((e) => e.type)).toEqual(['UsernameClaimed', 'AccountRegistered']);
    const [claim, opened] = written as [RecordedEvent, RecordedEvent];
    expect(Number(opened.position)).toBeGreaterThan(Number(claim.position));
    expect(reply.position).toBe(Number(opened.position));

    expect((await w.raw('internal.account.register', body)).position).toBe(Number(opened.position));
  });
});
