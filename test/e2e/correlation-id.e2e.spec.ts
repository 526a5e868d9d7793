import type { EventStore } from '@camledger/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../support/fixtures.ts';
import { startTestWorker, type TestWorker } from '../support/test-worker.ts';

// DOMAIN.md §2: the envelope's correlation_id is copied into the metadata of
// the events a command appends; when the envelope has none it equals the
// command_id. Checked through the real worker, reading the events back from
// the JetStream store it wrote.
describe('correlation id in the stored events', () => {
  let w: TestWorker;
  let store: EventStore;
  let user: string;

  beforeAll(async () => {
    w = await startTestWorker({ store: 'jetstream' });
    store = await w.readBack();
    user = await registerUser(w.client);
  });
  afterAll(async () => {
    await w?.stop();
  });

  async function createFolder(name: string, envelope: Record<string, unknown>) {
    const reply = await w.raw(
      'cmd.folder.create',
      JSON.stringify({ actor: user, payload: { name, parent_id: 0 }, ...envelope }),
    );
    expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true, code: 10000 });
    const events = await store.readStream(reply.stream as string);
    return events.filter((e) => e.metadata.commandId === envelope.command_id);
  }

  it('defaults to the command id when the envelope has none', async () => {
    const commandId = `corr-default-${w.prefix}`;
    const events = await createFolder('Garden', { command_id: commandId });
    expect(events.map((e) => e.type)).toEqual(['FolderCreated']);
    expect(events[0]?.metadata.correlationId).toBe(commandId);
  });

  it('is the one the envelope gives, when it gives one', async () => {
    const commandId = `corr-given-${w.prefix}`;
    const events = await createFolder('Shed', { command_id: commandId, correlation_id: 'checkout-42' });
    expect(events.map((e) => e.type)).toEqual(['FolderCreated']);
    expect(events[0]?.metadata.correlationId).toBe('checkout-42');
  });
});
