import { monitorEventLoopDelay } from 'node:perf_hooks';
import { memoryEventStore } from '@camledger/event-store';
import { openReadStore, readCheckpoint, startProjector } from '@camledger/read-model';
import { testReadStorePlace } from '@camledger/read-model/testing';
import { expect, it } from 'vitest';

// PGlite runs synchronous WebAssembly on the one event loop the NATS
// handlers share. This measures how long the loop is held while a PGlite
// projector catches up (DOMAIN.md §4: its work must not stall the handlers)
// and holds the projector to yielding between batches: a timer standing in
// for a NATS handler must keep firing during the catch-up. Within a batch the
// loop is held (PGlite runs here, not in a worker thread): the figures, printed
// for docs/read-side.md, say how long.

const EVENTS = Number(process.env.STALL_EVENTS ?? 3000);

it('a PGlite catch-up leaves the event loop free between batches', async () => {
  const events = memoryEventStore();
  for (let i = 0; i < EVENTS; i++) {
    const userId = `usr_${String(i).padStart(26, '0')}`;
    await events.append(
      `account-${userId}`,
      [
        {
          id: crypto.randomUUID(),
          type: 'AccountRegistered',
          data: { userId, username: `u${i}`, displayName: '' },
          metadata: { occurredAt: new Date(0).toISOString(), schemaVersion: 1 },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
  }
  const head = await events.headPosition();
  const place = await testReadStorePlace('pglite');
  const store = await openReadStore(place.config);
  try {
    // Measured from the moment the tables are installed (a one-off start-up
    // cost, reported apart): what remains is the catch-up itself.
    const installStarted = performance.now();
    const projector = startProjector({ events, readStore: store });
    await projector.active;
    const install = performance.now() - installStarted;
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    histogram.enable();
    while ((await readCheckpoint(store).catch(() => null)) !== head)
      await new Promise((r) => setTimeout(r, 20));
    const took = performance.now() - started;
    histogram.disable();
    clearInterval(probe);
    await projector.stop();
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    console.info(
      `PGlite install ${Math.round(install)} ms; catch-up of ${EVENTS} events: ${Math.round(took)} ms (${Math.round((EVENTS / took) * 1000)} events/s); ` +
        `event-loop delay p50 ${ms(histogram.percentile(50))} ms, p99 ${ms(histogram.percentile(99))} ms, ` +
        `max ${ms(histogram.max)} ms; longest gap between 5 ms timer ticks ${Math.round(longestGap)} ms; ${ticks} ticks`,
    );
    // The timer kept firing through the catch-up rather than once at its end
    // (without the projector's turn of the loop between batches it fired once).
    expect(ticks).toBeGreaterThan(20);
    expect(longestGap).toBeLessThan(took / 4);
  } finally {
    await store.close();
    await place.dispose();
  }
});
