// The NATS side of the edge benchmark, in a process of its own: the same
// command or query as the HTTP side, for the same user, sent straight to
// `<prefix>.cmd.…` / `<prefix>.query.…` by `inFlight` lanes, each sending its
// next request when the last is answered. Prints one LoadResult line.
import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import { percentile } from '../support/measure.ts';
import { type LoadResult, readSpec } from './load-spec.ts';

const spec = readSpec();
const nc = await connect({ servers: spec.natsUrl as string, name: 'camledger-edge-bench-nats' });
const prefix = spec.prefix as string;
/** A look-up answers `{ok: true, result}` without a code; commands and queries carry theirs. */
const accepted = (reply: { ok?: boolean; code?: number }): boolean =>
  spec.kind === 'credentials' ? reply.ok === true : reply.code === (spec.kind === 'command' ? 13001 : 10000);

const latencies: number[] = [];
let failed = 0;
const started = performance.now();
const deadline = started + spec.seconds * 1000;
await Promise.all(
  Array.from({ length: spec.inFlight }, async (_, lane) => {
    const item = spec.items[lane % spec.items.length];
    let flagged = 0;
    while (performance.now() < deadline) {
      flagged = flagged === 1 ? 0 : 1;
      const [subject, body] =
        spec.kind === 'command'
          ? [
              `${prefix}.cmd.item.set_flag`,
              { command_id: randomUUID(), actor: spec.userId, payload: { item_id: item, flagged } },
            ]
          : spec.kind === 'query'
            ? [`${prefix}.query.account.get`, { actor: spec.userId, payload: {} }]
            : [`${prefix}.edge.credentials`, { consumer_key: spec.consumer?.key, token: spec.token?.key }];
      const t = performance.now();
      const ok = await nc
        .request(subject, JSON.stringify(body), { timeout: 15_000 })
        .then((m) => accepted(m.json()))
        .catch(() => false);
      // Latencies of accepted answers only: a fast refusal or a 15 s timeout is not the path measured.
      // (autocannon's on the HTTP side still hold non-2xx answers; the table's "not accepted" counts them.)
      if (ok) latencies.push(performance.now() - t);
      else failed++;
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
await nc.close();
const out: LoadResult = {
  rate: latencies.length / elapsed,
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
  count: latencies.length + failed,
  failed,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
