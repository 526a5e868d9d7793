// The NATS side of the edge benchmark, in a process of its own: the same
// command or query as the HTTP side, for the same user, sent straight to
// `<prefix>.cmd.…` / `<prefix>.query.…` by `inFlight` lanes, each sending its
// next request when the last is answered. Prints one LoadResult line.
import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import { driveLanes } from '../support/lanes.ts';
import { type LoadResult, readSpec } from './load-spec.ts';

const spec = readSpec();
const nc = await connect({ servers: spec.natsUrl as string, name: 'camledger-edge-bench-nats' });
const prefix = spec.prefix as string;
/** A look-up answers `{ok: true, result}` without a code; commands and queries carry theirs. */
const accepted = (reply: { ok?: boolean; code?: number }): boolean =>
  spec.kind === 'credentials' ? reply.ok === true : reply.code === (spec.kind === 'command' ? 13001 : 10000);

// Each lane toggles its own item's flag, so no two in-flight commands touch one stream.
const flags = Array.from({ length: spec.inFlight }, () => 0);
const out: LoadResult = await driveLanes(spec.inFlight, spec.seconds, (lane) => {
  const item = spec.items[lane % spec.items.length];
  flags[lane] = flags[lane] === 1 ? 0 : 1;
  const [subject, body] =
    spec.kind === 'command'
      ? [
          `${prefix}.cmd.item.set_flag`,
          { command_id: randomUUID(), actor: spec.userId, payload: { item_id: item, flagged: flags[lane] } },
        ]
      : spec.kind === 'query'
        ? [`${prefix}.query.account.get`, { actor: spec.userId, payload: {} }]
        : [`${prefix}.edge.credentials`, { consumer_key: spec.consumer?.key, token: spec.token?.key }];
  // Latencies of accepted answers only (driveLanes); autocannon's on the HTTP
  // side still hold non-2xx answers, which the table's "not accepted" counts.
  return nc.request(subject, JSON.stringify(body), { timeout: 15_000 }).then((m) => accepted(m.json()));
});
await nc.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
