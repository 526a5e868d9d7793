// The raw ceiling for the worker benchmark, run as its own process like a
// worker (`node --import tsx bench/worker/ceiling.ts`, env NATS_URL and
// CEILING_PREFIX): a minimal nats.js responder in a queue group that, per
// request, publishes one message to a JetStream stream with the
// Nats-Expected-Last-Subject-Sequence check and the command id as its
// message id (Nats-Msg-Id, so the server refuses a repeat, in a stream with
// the events stream's duplicate window) and replies. No domain, no reply
// log, no read: the least any design that checks the aggregate's version on
// append and recognises a retried command has to do per command.
//
// The request says which subject to write and which sequence to expect (the
// load generator's lane learnt it from the previous reply), so any number of
// responders can share the lanes without reading anything back.
//
// A request with `shape: "worker"` writes what the worker's append of an
// `account.add_credits` carries instead: the index headers of a stream
// halfway through an index chunk, the command key as the message id, and the
// event's full metadata (key, fingerprint, reply). Still no work besides the
// publish: it tells the price of the worker's bytes, in nats.js and in the
// server, apart from the price of its command path.
import { connect, type Msg } from 'nats';
import {
  CHUNK,
  indexHeaders,
  type MessageIndex,
  nextIndex,
} from '../../packages/event-store/src/jetstream/layout.ts';
import { ceilingReadyLine, ceilingRequestSubject, ceilingSubject } from './names.ts';

const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
const prefix = process.env.CEILING_PREFIX ?? '';
if (!/^[A-Za-z0-9_-]{1,64}$/.test(prefix)) throw new Error('CEILING_PREFIX must be set');

// Without stack traces captured per request, as the worker connects
// (connectNats): nats.js otherwise builds two Errors for every publish, which
// would be the ceiling's cost and not the least a design must pay.
const nc = await connect({ servers, name: `${prefix}-ceiling`, noAsyncTraces: true });
const js = nc.jetstream();
const encoder = new TextEncoder();

interface Request {
  readonly lane: string;
  readonly expect: number;
  readonly command_id: string;
  readonly payload: unknown;
  readonly shape?: 'worker';
}

async function answer(msg: Msg): Promise<void> {
  // Parse and re-encode, as the worker does with a command, so both pay for JSON.
  const request = JSON.parse(msg.string()) as Request;
  const shaped = request.shape === 'worker';
  // A SHA-256 in hex is 64 characters; the command id twice, without dashes, is as long.
  const key = shaped ? request.command_id.replaceAll('-', '').repeat(2) : request.command_id;
  const metadata = shaped
    ? {
        commandId: request.command_id,
        correlationId: request.command_id,
        actor: 'system',
        occurredAt: new Date().toISOString(),
        schemaVersion: 1,
        commandKey: key,
        commandFingerprint: key,
        reply: { code: 10000, result: {} },
      }
    : { commandId: request.command_id, actor: 'system', occurredAt: new Date().toISOString() };
  const body = encoder.encode(
    JSON.stringify({
      // The worker's stream names an account id of 30 characters, and its event holds only the credits.
      stream: shaped ? `account-usr_${request.lane.padStart(26, '0')}` : `account-${request.lane}`,
      ...(shaped ? { rev: request.expect } : {}),
      events: [
        {
          id: request.command_id,
          type: 'CreditsAdded',
          data: shaped ? { credits: 1 } : request.payload,
          metadata,
        },
      ],
    }),
  );
  try {
    const ack = await js.publish(ceilingSubject(prefix, request.lane), body, {
      // The worker's headers carry the key as the message id; the bare ceiling's publish names it.
      ...(shaped
        ? { headers: indexHeaders({ ...halfChunk, firstRev: request.expect, lastRev: request.expect }, key) }
        : { msgID: key }),
      expect: { lastSubjectSequence: request.expect },
    });
    msg.respond(JSON.stringify({ ok: true, code: 10000, result: {}, seq: ack.seq }));
  } catch (error) {
    msg.respond(JSON.stringify({ ok: false, error: String(error) }));
  }
}

/**
 * The index of an append halfway through its stream's second index chunk
 * (half a chunk of entries and a link to the chunk before), the average an
 * aggregate written many times carries. Built once, by the worker's own
 * layout code, over sequences as large as a store of millions of messages
 * makes them: only its length matters here.
 */
const messagesBefore = CHUNK - 1 + Math.floor(CHUNK / 2);
let earlier: MessageIndex | undefined;
for (let i = 0; i < messagesBefore; i++)
  earlier = { seq: 3_000_000 + i, ...nextIndex(earlier, 5_000 + i, 1) };
const halfChunk = nextIndex(earlier, 5_000 + messagesBefore, 1);

nc.subscribe(ceilingRequestSubject(prefix), {
  queue: `${prefix}-ceiling`,
  callback: (_error, msg) => void answer(msg),
});
await nc.flush();
console.log(ceilingReadyLine);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void nc.drain().finally(() => process.exit(0)));
}
