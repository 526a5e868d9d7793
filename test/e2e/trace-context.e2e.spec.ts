import type { EventStore, RecordedEvent } from '@camledger/event-store';
import { headers } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

// docs/operations.md, "Trace context": a valid W3C traceparent sent with a
// command is copied into the metadata of every event the command appends,
// its follow-ups' included, so a reader of the log can join an event to the
// trace that caused it; a malformed one is copied nowhere. Checked through
// the real worker, reading the events back from the JetStream store it wrote.

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context in the stored events', () => {
  let w: TestWorker;
  let store: EventStore;
  beforeAll(async () => {
    w = await startTestWorker({ store: 'jetstream' });
    store = await w.readBack();
  });
  afterAll(async () => {
    await w?.stop();
  });

  async function eventsOf(correlationId: string): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    for await (const e of store.readAll()) if (e.metadata.correlationId === correlationId) found.push(e);
    return found;
  }

  it("is on the command's events and on those of its follow-ups", async () => {
    const outcome = await w.client.account.register(
      { username: `traced${w.prefix.slice(-6)}` },
      { commandId: 'traced-register', traceparent },
    );
    expect(outcome.code).toBe(10000);
    const events = await eventsOf('traced-register');
    // The reservation, and the account its follow-up opened (run as system).
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['UsernameClaimed', 'AccountRegistered']),
    );
    expect(events.map((e) => e.metadata.traceparent)).toEqual(events.map(() => traceparent));
  });

  it('of a later version, only the four fields every version shares are kept, whatever follows them', async () => {
    const later = `01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-${'x'.repeat(20_000)}`;
    const h = headers();
    h.set('traceparent', later);
    const reply = await w.nc.request(
      `${w.prefix}.internal.account.register`,
      JSON.stringify({
        command_id: 'later-traced-register',
        actor: 'system',
        payload: { username: `later${w.prefix.slice(-6)}` },
      }),
      { headers: h, timeout: 5_000 },
    );
    expect(JSON.parse(reply.string())).toMatchObject({ ok: true, code: 10000 });
    const events = await eventsOf('later-traced-register');
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const e of events)
      expect(e.metadata.traceparent).toBe('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
  });

  it('is on none of them when the header is missing or malformed', async () => {
    const plain = await w.client.account.register(
      { username: `plain${w.prefix.slice(-6)}` },
      { commandId: 'untraced-register' },
    );
    expect(plain.code).toBe(10000);
    const h = headers();
    h.set('traceparent', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`); // an all-zero trace id is invalid
    const reply = await w.nc.request(
      `${w.prefix}.internal.account.register`,
      JSON.stringify({
        command_id: 'badly-traced-register',
        actor: 'system',
        payload: { username: `bad${w.prefix.slice(-6)}` },
      }),
      { headers: h, timeout: 5_000 },
    );
    expect(JSON.parse(reply.string())).toMatchObject({ ok: true, code: 10000 });
    const events = [...(await eventsOf('untraced-register')), ...(await eventsOf('badly-traced-register'))];
    expect(events.length).toBeGreaterThanOrEqual(4);
    for (const e of events) expect(e.metadata).not.toHaveProperty('traceparent');
  });
});
