import { randomUUID } from 'node:crypto';
import { headers, JSONCodec, type NatsConnection } from 'nats';
import { eventSubject } from '../../packages/event-store/src/jetstream/layout.ts';
import { seededUser } from './names.ts';

const codec = JSONCodec();

/**
 * Writes `count` registered accounts (users `from`..`from + count - 1`), one
 * `AccountRegistered` message each, straight into the adapter's events stream
 * in the adapter's message format for a first append: the body
 * `{ stream, events: [...] }`, `Cl-Rev`/`Cl-Last` 0, and the expected last
 * subject sequence 0, so the worker reads them as if it had written them.
 * Two things differ on purpose: no `Nats-Msg-Id` (a million ids would sit in
 * the server's duplicate window during the measurement, which no steady
 * state has) and no `commandKey`/`reply` metadata (nobody retries these).
 * Raw publishes with `window` in flight, because the adapter's append waits
 * for each ack and a million of those would take too long.
 */
export async function seedAccounts(
  nc: NatsConnection,
  prefix: string,
  from: number,
  count: number,
  window = 512,
): Promise<void> {
  const js = nc.jetstream();
  const occurredAt = new Date().toISOString();
  const pending = new Set<Promise<unknown>>();
  let failure: unknown;
  for (let n = from; n < from + count; n++) {
    const userId = seededUser(n);
    const stream = `account-${userId}`;
    const commandId = randomUUID();
    const body = codec.encode({
      stream,
      events: [
        {
          id: randomUUID(),
          type: 'AccountRegistered',
          data: { userId, username: `user${n}`, displayName: `User ${n}` },
          metadata: { commandId, correlationId: commandId, actor: 'system', occurredAt, schemaVersion: 1 },
        },
      ],
    });
    const h = headers();
    h.set('Cl-Rev', '0');
    h.set('Cl-Last', '0');
    const p = js
      .publish(eventSubject(prefix, stream), body, { headers: h, expect: { lastSubjectSequence: 0 } })
      .catch((e: unknown) => {
        failure ??= e;
      })
      .finally(() => pending.delete(p));
    pending.add(p);
    if (pending.size >= window) await Promise.race(pending);
    if (failure) throw failure;
  }
  await Promise.all(pending);
  if (failure) throw failure;
}
