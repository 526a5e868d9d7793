import { createClient } from '@camledger/client';
import { connect, headers, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';
import { killAllWorkerProcesses, startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

// What an operator reads in the worker's log for each command: one info
// line with subject, ids, code and duration (plus the caller's trace
// context), the rejection reason at debug, and never a payload.

const prefix = uniquePrefix('logs');
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
// A payload value that must appear in no log line (payloads may carry secrets).
const secretName = `hunter${Date.now().toString(36)}`;

let nc: NatsConnection;
let worker: WorkerProcess;
beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
  worker = await startWorkerProcess({
    NATS_URL: natsUrl,
    CAMLEDGER_PREFIX: prefix,
    CAMLEDGER_STORE: 'memory',
    LOG_LEVEL: 'debug',
  });
});
afterAll(async () => {
  await killAllWorkerProcesses();
  await nc.close();
});

const linesOf = (commandId: string, msg: string) =>
  worker.lines.filter((l) => l.commandId === commandId && l.msg === msg);

/** Log lines are written after the reply is sent, and reach us in chunks: wait for the one we expect. */
async function lineOnceWritten(commandId: string, msg: string) {
  for (let i = 0; i < 100 && linesOf(commandId, msg).length === 0; i++)
    await new Promise((r) => setTimeout(r, 50));
  return linesOf(commandId, msg);
}
const answeredLine = (commandId: string) => lineOnceWritten(commandId, 'command answered');

describe('the log of a worker process', () => {
  const client = () => createClient(nc, { prefix, timeoutMs: 5_000, retries: 0 });

  it('has one info line for an accepted command, with its trace context and no payload', async () => {
    const outcome = await client().account.register(
      { username: secretName },
      { commandId: 'log-accepted', correlationId: 'corr-log', traceparent },
    );
    expect(outcome.code).toBe(10000);
    const lines = await answeredLine('log-accepted');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      subject: `${prefix}.internal.account.register`,
      commandId: 'log-accepted',
      correlationId: 'corr-log',
      code: 10000,
      traceparent,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(typeof lines[0]?.durationMs).toBe('number');
    expect(linesOf('log-accepted', 'command rejected')).toHaveLength(0);
  });

  it('adds the rejection reason at debug for a rejected command', async () => {
    const outcome = await client().folder.create(
      { name: 'Garden', parent_id: 0 },
      { actor: 'usr_nobody', commandId: 'log-rejected' },
    );
    expect(outcome.code).toBe(8);
    const [info] = await answeredLine('log-rejected');
    expect(info).toMatchObject({ level: 30, code: 8, correlationId: 'log-rejected' });
    expect(info).not.toHaveProperty('traceparent');
    expect(await lineOnceWritten('log-rejected', 'command rejected')).toEqual([
      expect.objectContaining({ level: 20, code: 8, rejection: 'UnknownUser', param: 'actor' }),
    ]);
  });

  it('logs an unknown action with its code 16, and drops a malformed traceparent', async () => {
    const h = headers();
    h.set('traceparent', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`); // an all-zero trace id is invalid
    const body = JSON.stringify({
      command_id: 'log-unknown',
      actor: 'system',
      payload: { secret: secretName },
    });
    const reply = await nc.request(`${prefix}.cmd.nothing.here`, body, { timeout: 5_000, headers: h });
    expect(JSON.parse(reply.string()).code).toBe(16);
    const [info] = await answeredLine('log-unknown');
    expect(info).toMatchObject({ subject: `${prefix}.cmd.nothing.here`, code: 16 });
    expect(info).not.toHaveProperty('traceparent');
  });

  it('never writes a payload value', () => {
    const everything = worker.lines.map((l) => JSON.stringify(l)).join('\n') + worker.stderr();
    expect(everything).not.toContain(secretName);
  });
});
