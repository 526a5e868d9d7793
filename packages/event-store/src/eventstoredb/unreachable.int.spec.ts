// Runs without an EventStoreDB: what a process finds when the server named
// by its connection string is down, or takes the connection and says nothing.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectEventStoreDb, EventStoreDbUnreachable } from './store.ts';

const servers: { server: Server; sockets: Socket[] }[] = [];
afterEach(async () => {
  for (const { server, sockets } of servers.splice(0)) {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => server.close(done));
  }
});

/** A port that accepted a listener once and is closed now: connections to it are refused. */
async function refusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  const { port } = s.address() as { port: number };
  await new Promise((done) => s.close(done));
  return port;
}

/** Accepts connections and never writes a byte (a hung server, a wrong port behind a proxy). */
async function silentPort(): Promise<number> {
  const sockets: Socket[] = [];
  const s = createServer((socket) => sockets.push(socket));
  servers.push({ server: s, sockets });
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  return (s.address() as { port: number }).port;
}

describe('opening EventStoreDB', () => {
  it('fails at once, coded, when the server refuses the connection', async () => {
    const port = await refusedPort();
    const started = Date.now();
    const opened = connectEventStoreDb(`esdb://127.0.0.1:${port}?tls=false`);
    await expect(opened).rejects.toBeInstanceOf(EventStoreDbUnreachable);
    await expect(opened).rejects.toThrow(/did not answer a first read/);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('fails after its wait when the server takes the connection and never answers', async () => {
    const port = await silentPort();
    const started = Date.now();
    const opened = connectEventStoreDb(`esdb://127.0.0.1:${port}?tls=false`, { answerWithinMs: 800 });
    await expect(opened).rejects.toBeInstanceOf(EventStoreDbUnreachable);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('does not repeat the connection string, which may hold a password', async () => {
    const port = await refusedPort();
    const opened = connectEventStoreDb(`esdb://admin:s3cret@127.0.0.1:${port}?tls=false`);
    await expect(opened).rejects.toThrow(EventStoreDbUnreachable);
    await opened.catch((e: Error) => expect(e.message).not.toContain('s3cret'));
  });
});
