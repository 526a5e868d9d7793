// item.get_list over NATS: latency with 1k items in the store and with many
// (the asker owns 1k in both; the rest belong to others), and queries/s
// through the query server against the same query answered in-process
// (answerQuery: the same parsing and SQL, no NATS). Goals (issue 12): p50/p99
// within 1.2x between the sizes; the server >= 0.8 of the direct rate.
// Run: npx tsx bench/read-side/queries.ts [--items 1000000] [--seconds 5]
import { randomBytes } from 'node:crypto';
import { createClient } from '@camledger/client';
import {
  AppliedPosition,
  answerQuery,
  installForProjector,
  openReadStore,
  type ReadStore,
} from '@camledger/read-model';
import { testReadStorePlace } from '@camledger/read-model/testing';
import { connect } from 'nats';
import { startQueryServer } from '../../services/query-server/src/index.ts';
import { undoAll, undoOnInterrupt } from '../support/interrupt.ts';
import { driveLanes } from '../support/lanes.ts';
import { machineLine, median, percentile } from '../support/measure.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const many = arg('items', 100_000);
const seconds = arg('seconds', 5);
const latencySamples = arg('samples', 1000);
const concurrency = 16;
const prefix = `benchq_${randomBytes(3).toString('hex')}`;
const asker = `usr_${'A'.padStart(26, '0')}`;
const other = `usr_${'O'.padStart(26, '0')}`;
const TRASH_MS = 30 * 24 * 3600 * 1000;

/** `count` items of `owner` in the inbox, ids from `from`, one a second from 2026-01-01. */
const addItems = (store: ReadStore, owner: string, from: number, count: number) =>
  store.query(
    `INSERT INTO items (item_id, owner_id, camera_id, kind, folder_id, flagged, is_alert, start_datetime, end_datetime, frame_count)
     SELECT 'itm_' || lpad(n::text, 26, '0'), $1, 'cam_1', 'clip', NULL, n % 3 = 0, false,
            to_char(timestamp '2026-01-01' + n * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            to_char(timestamp '2026-01-01' + n * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 1
     FROM generate_series($2::int, $3::int) AS n`,
    [owner, from, from + count - 1],
  );

/** A read store with the asker's 1k items and `others` items of someone else's, and a query server on it. */
async function setUp(others: number) {
  const place = await testReadStorePlace('postgres', `benchq${randomBytes(4).toString('hex')}`);
  // Undone however far the run got (or when interrupted): each schema the moment it is named.
  undoOnInterrupt(() => place.dispose());
  const store = await openReadStore(place.config);
  undoOnInterrupt(() => store.close());
  await installForProjector(store, 'bench');
  await store.query(
    `INSERT INTO accounts (user_id, username, username_key, display_name) VALUES ($1, 'asker', 'asker', 'A'), ($2, 'other', 'other', 'O')`,
    [asker, other],
  );
  await addItems(store, asker, 1, 1000);
  if (others > 0) await addItems(store, other, 1001, others);
  await store.exec('ANALYZE');
  const applied = new AppliedPosition(store);
  const at = `${prefix}${others}`;
  const server = await startQueryServer(nc, { prefix: at, store, trashRetentionMs: TRASH_MS, applied });
  undoOnInterrupt(() => server.stop());
  const client = createClient(nc, { prefix: at, timeoutMs: 30_000, retries: 0 });
  return {
    store,
    overNats: async () => {
      const reply = await client.query.item.get_list(payload, { actor: asker });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
    },
    direct: async () => {
      const reply = await answerQuery({ store, applied, trashRetentionMs: TRASH_MS }, 'item.get_list', body);
      if (!reply.ok) throw new Error(JSON.stringify(reply));
    },
  };
}

const payload = { folder_id: 0 as const, page: 3, qty: 20 };
const body = JSON.stringify({ actor: asker, payload });
const stats = (ms: number[]) => ({ p50: +median(ms).toFixed(3), p99: +percentile(ms, 99).toFixed(3) });

/** Samples of each task, taken in turn so both see the same machine load. */
async function latencies(tasks: (() => Promise<void>)[], samples: number) {
  for (let i = 0; i < Math.min(100, samples); i++) for (const task of tasks) await task();
  const ms = tasks.map(() => [] as number[]);
  for (let i = 0; i < samples; i++)
    for (const [k, task] of tasks.entries()) {
      const t = performance.now();
      await task();
      ms[k]?.push(performance.now() - t);
    }
  return ms.map(stats);
}

/** Queries answered per second by `concurrency` lanes asking in a closed loop; any failure fails the bench. */
async function rate(task: () => Promise<void>): Promise<number> {
  const run = await driveLanes(concurrency, seconds, () => task().then(() => true));
  if (run.failed > 0) throw new Error(`${run.failed} of ${run.count} queries failed`);
  return Math.round(run.rate);
}

const nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222' });
try {
  const small = await setUp(0);
  const large = await setUp(many - 1000);
  const [smallMs, largeMs] = await latencies([small.overNats, large.overNats], latencySamples);
  process.stderr.write(`1k items: ${JSON.stringify(smallMs)}, ${many} items: ${JSON.stringify(largeMs)}\n`);
  // Both rates at the large size, alternating so both see the same machine load.
  const natsRates: number[] = [];
  const directRates: number[] = [];
  for (let i = 0; i < 2; i++) {
    natsRates.push(await rate(large.overNats));
    directRates.push(await rate(large.direct));
  }
  // The asker's own list as large as the store: count(*) for `total` reads every row of theirs.
  await large.store.query('UPDATE items SET owner_id = $1 WHERE owner_id = $2', [asker, other]);
  await large.store.exec('ANALYZE');
  const [owned] = await latencies([large.overNats], 100);
  const natsQps = median(natsRates);
  const directQps = median(directRates);
  console.log(
    JSON.stringify(
      {
        machine: machineLine(),
        query:
          'item.get_list { folder_id: 0, page: 3, qty: 20 } on PostgreSQL, asked over NATS one at a time',
        latencyMs: { items1k: smallMs, [`items${many}`]: largeMs, [`askerOwns${many}`]: owned },
        ratio: {
          p50: +((largeMs?.p50 ?? 0) / (smallMs?.p50 ?? 1)).toFixed(2),
          p99: +((largeMs?.p99 ?? 0) / (smallMs?.p99 ?? 1)).toFixed(2),
        },
        queriesPerSecond: {
          concurrency,
          throughQueryServer: natsQps,
          directAnswerQuery: directQps,
          ratio: +(natsQps / directQps).toFixed(2),
          runs: { nats: natsRates, direct: directRates },
        },
      },
      null,
      2,
    ),
  );
} finally {
  // A store made before a later setUp failed (1M rows take a while) is dropped too.
  await undoAll();
  await nc.drain();
}
