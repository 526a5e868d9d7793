import { databaseUrl } from '@camledger/read-model/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgresReadStore } from '../../packages/read-model/src/store/postgres.ts';
import { startProjectorService } from '../../services/query-server/src/index.ts';
import { projectorStatus } from '../../services/query-server/src/projector-service.ts';
import { registerNamedUser } from '../support/fixtures.ts';
import { type ReadSide, startReadSide } from './support/read-side.ts';
import { appliedThrough } from './support/rows.ts';

// `<prefix>.projector.status`: what `camledger projections status` will
// show (applied position, head, lag in appends and seconds), over NATS.

let side: ReadSide;
beforeAll(async () => {
  side = await startReadSide('postgres');
  await startProjectorService(side.tw.nc, {
    prefix: side.tw.prefix,
    store: side.store,
    events: side.events,
    projector: side.projector,
  });
});
afterAll(() => side?.stop());

const status = async () =>
  JSON.parse(
    (await side.tw.nc.request(`${side.tw.prefix}.projector.status`, '', { timeout: 5000 })).string(),
  ) as {
    ok: boolean;
    result: Record<string, number | string | null>;
  };

it('says how far the projections are behind the head of the log', async () => {
  await registerNamedUser(side.tw.client);
  const head = await side.head();
  await appliedThrough(side.store, head);
  expect(await status()).toMatchObject({
    ok: true,
    result: { store: 'postgres', applied_position: head, head_position: head, lag_events: 0, lag_seconds: 0 },
  });

  await side.projector.stop();
  await registerNamedUser(side.tw.client);
  await new Promise((r) => setTimeout(r, 50));
  const behind = (await status()).result;
  const newHead = await side.head();
  expect(behind).toMatchObject({
    applied_position: head,
    head_position: newHead,
    lag_events: newHead - head,
  });
  expect(behind.lag_seconds as number).toBeGreaterThanOrEqual(0.05);
});

it('fails, rather than saying nothing is applied, when the read store cannot be read', async () => {
  // The same tables through a store whose database is gone (its pool ended).
  const gone = await openPostgresReadStore({ connectionString: databaseUrl, schema: side.store.schema });
  await gone.close();
  await expect(projectorStatus(gone, side.events)).rejects.toThrow();
});
