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
import { connect, type Msg } from 'nats';
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
}

async function answer(msg: Msg): Promise<void> {
  // Parse and re-encode, as the worker does with a command, so both pay for JSON.
  const request = JSON.parse(msg.string()) as Request;
  const body = encoder.encode(
    JSON.stringify({
      stream: `account-${request.lane}`,
      events: [
        {
          id: request.command_id,
          type: 'CreditsAdded',
          data: request.payload,
          metadata: { commandId: request.command_id, actor: 'system', occurredAt: new Date().toISOString() },
        },
      ],
    }),
  );
  try {
    const ack = await js.publish(ceilingSubject(prefix, request.lane), body, {
      msgID: request.command_id,
      expect: { lastSubjectSequence: request.expect },
    });
    msg.respond(JSON.stringify({ ok: true, code: 10000, result: {}, seq: ack.seq }));
  } catch (error) {
    msg.respond(JSON.stringify({ ok: false, error: String(error) }));
  }
}

nc.subscribe(ceilingRequestSubject(prefix), {
  queue: `${prefix}-ceiling`,
  callback: (_error, msg) => void answer(msg),
});
await nc.flush();
console.log(ceilingReadyLine);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void nc.drain().finally(() => process.exit(0)));
}
