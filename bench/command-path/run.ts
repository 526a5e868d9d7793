// The command path without the network: `execute` (the runtime's one command
// path, as the worker runs it behind the NATS envelope) over the memory
// store, one command at a time and 64 at once. What it costs per command is
// camledger's own work on an accepted command (payload validation, key and
// fingerprint, load from the cache, decide, the events and their metadata,
// the cache's fold and key index), beside the memory store's append alone,
// so the worker bench's CPU per command can be split into camledger's part
// and the rest (nats.js, sockets, the store adapter's encoding).
// Run: pnpm bench command-path
import { randomUUID } from 'node:crypto';
import type { Reply } from '@camledger/domain';
import { type EventToAppend, memoryEventStore, memoryReplyLog } from '@camledger/event-store';
import { createRuntimeDeps, execute, type Route, routeOf } from '@camledger/runtime';
import { machineLine, median } from '../support/measure.ts';

const COMMANDS = Number(process.env.BENCH_COMMANDS_PER_RUN ?? 20_000);
const RUNS = 5;
const LANES = 64;

const known = (found: Route | undefined): Route => {
  if (!found) throw new Error('no route');
  return found;
};
const register = known(routeOf('internal', 'account.register'));
const addCredits = known(routeOf('internal', 'account.add_credits'));
const createFolder = known(routeOf('cmd', 'folder.create'));

type Send = (lane: number) => Promise<unknown>;
/** Every command measured is accepted: a rejection would measure another path. */
const accepted = async (answer: Promise<Reply>) => {
  const reply = await answer;
  if (!reply.ok) throw new Error(`rejected: ${JSON.stringify(reply)}`);
};

/**
 * A new store and runtime, with one registered user per lane, for each
 * command and level. Sharing one across them all, the state cache reached
 * its byte budget (every accepted command's key is kept for 7 days) and the
 * lanes, used in turn, missed it on every command: the runs then measured
 * re-reads of the memory store, and the folder part took minutes.
 */
async function freshRuntime() {
  const store = memoryEventStore();
  // As the worker builds them (services/command-worker/src/worker.ts): memory
  // is trusted for the stream a command writes, so a cached state costs no read.
  const deps = createRuntimeDeps({ store, replies: memoryReplyLog(), cache: { revalidate: 'on-demand' } });
  const users: string[] = [];
  for (let lane = 0; lane < LANES; lane++) {
    const reply = await execute(deps, register, {
      command_id: `register-${lane}`,
      actor: 'system',
      payload: { username: `user${lane}` },
    });
    if (!reply.ok) throw new Error(`could not register user${lane}`);
    users.push(String(reply.result.user_id));
  }
  return { store, deps, users };
}
type Runtime = Awaited<ReturnType<typeof freshRuntime>>;

const credits =
  ({ deps, users }: Runtime): Send =>
  (lane) =>
    accepted(
      execute(deps, addCredits, {
        command_id: randomUUID(),
        actor: 'system',
        payload: { user_id: users[lane], credits: 1 },
      }),
    );
// Names never used before in any run, so every creation is accepted.
let folderCount = 0;
const folders =
  ({ deps, users }: Runtime): Send =>
  (lane) =>
    accepted(
      execute(deps, createFolder, {
        command_id: randomUUID(),
        actor: users[lane] as string,
        payload: { name: `folder ${folderCount++}`, parent_id: 0 },
      }),
    );
let appended = 0;
const bareAppend =
  ({ store }: Runtime): Send =>
  (lane) => {
    const event: EventToAppend = {
      id: randomUUID(),
      type: 'CreditsAdded',
      data: { credits: 1 },
      metadata: { commandId: randomUUID(), actor: 'system', occurredAt: new Date().toISOString() },
    };
    return store.append(`bare-${lane}`, [event], { expectedRevision: 'any', key: `bare-${appended++}` });
  };

/**
 * Microseconds of this process's CPU per command, `inFlight` commands at a
 * time, each lane on its own aggregate (one at a time, lane 0 only).
 */
async function cpuPerCommand(send: Send, inFlight: number): Promise<number> {
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, lane) => {
      for (let i = lane; i < COMMANDS; i += inFlight) await send(lane);
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / COMMANDS;
}

const rows: string[] = [];
for (const [name, sender] of [
  ['`account.add_credits` through `execute`', credits],
  ['`folder.create` through `execute`', folders],
  ["the memory store's append alone (1 event, keyed)", bareAppend],
] as const) {
  for (const inFlight of [1, LANES]) {
    const send = sender(await freshRuntime());
    await cpuPerCommand(send, inFlight); // warm-up: JIT, caches
    const runs: number[] = [];
    for (let r = 0; r < RUNS; r++) runs.push(await cpuPerCommand(send, inFlight));
    rows.push(`| ${name} | ${inFlight} | ${median(runs).toFixed(1)} |`);
    process.stderr.write(`${rows.at(-1)}\n`);
  }
}

console.log('## Command path without the network\n');
console.log(
  `${machineLine()}. \`pnpm bench command-path\`; median of ${RUNS} runs of ${COMMANDS} commands, after one to warm up.\n`,
);
console.log('| what | in flight | CPU µs per command |');
console.log('| --- | ---: | ---: |');
for (const row of rows) console.log(row);
