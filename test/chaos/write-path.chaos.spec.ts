import { randomInt } from 'node:crypto';
import { createClient, type Outcome } from '@camledger/client';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { runCamledger } from '../support/cli-process.ts';
import { readHistory } from '../support/history.ts';
import { type PrivateNatsServer, startNatsServer } from '../support/nats-server.ts';
import { uniquePrefix } from '../support/test-worker.ts';
import { killAllWorkerProcesses, startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';
import { deliver } from './deliver.ts';
import { judge } from './judge.ts';
import { makePlan, type Planned } from './plan.ts';

// The write path's promises under the failures a deployment meets: three
// workers on one prefix, many users' commands side by side, clients that
// retry with the same command_id, one worker killed with SIGKILL and
// restarted, and the NATS server itself restarted (on a server this test
// starts, never the shared one). Afterwards the history must hold every
// accepted effect exactly once and no rejected one, `camledger audit verify`
// must find nothing, and the state folded from history must be what the
// model-based test's reference model predicts for the applied commands in
// their log order (test/chaos/judge.ts).
//
// CAMLEDGER_CHAOS_SIZE sets how many random commands (240 in CI, well under
// a minute); CAMLEDGER_CHAOS_SEED replays a run's plan (the seed is printed
// when the test fails). The interleaving is the machine's; what is checked
// does not depend on it.

const size = Number(process.env.CAMLEDGER_CHAOS_SIZE ?? 240);
const seed = process.env.CAMLEDGER_CHAOS_SEED ? Number(process.env.CAMLEDGER_CHAOS_SEED) : randomInt(2 ** 31);
/** Clients side by side, and how long the mix should last so the failures land in the middle of it. */
const lanes = 8;
const mixMs = 12_000;
const trashRetentionMs = 30 * 24 * 60 * 60 * 1000;

const prefix = uniquePrefix('chaos');
let server: PrivateNatsServer;
let nc: NatsConnection;
let env: Record<string, string>;
const workers: WorkerProcess[] = [];
/** Workers this test killed on purpose; any other that exits is a finding. */
const killed = new Set<WorkerProcess>();

beforeAll(async () => {
  server = await startNatsServer();
  env = { NATS_URL: server.url, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'jetstream' };
  workers.push(...(await Promise.all([1, 2, 3].map(() => startWorkerProcess(env)))));
  nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
});
afterAll(async () => {
  await killAllWorkerProcesses();
  await nc?.close();
  await server?.dispose();
});

const sleep = (ms: number) => new Promise((resume) => setTimeout(resume, ms));

/** Polls until the history stops growing (late follow-ups, a reactor catching up). */
async function settledHistory() {
  let history = await readHistory(nc, prefix);
  for (let i = 0; i < 20; i++) {
    await sleep(750);
    const again = await readHistory(nc, prefix);
    if (again.length === history.length) return again;
    history = again;
  }
  return history;
}

describe('three workers, SIGKILL and a NATS restart under a random mix of commands', () => {
  it('keeps every effect exactly once, the rules, and the model', async () => {
    onTestFailed(() => {
      console.error(
        `chaos run failed: replay with CAMLEDGER_CHAOS_SEED=${seed} CAMLEDGER_CHAOS_SIZE=${size} (prefix ${prefix})`,
      );
    });
    const plan = makePlan(seed, size);
    const client = createClient(nc, { prefix, timeoutMs: 2_000, retries: 0 });
    const outcomes = new Map<string, Outcome | undefined>();
    let retried = 0;
    const send = async (c: Planned) => {
      const { outcome, attempts } = await deliver(client, c, { attempts: 4, pauseMs: 150 });
      outcomes.set(c.id, outcome);
      if (attempts > 1) retried++;
    };

    // Calm first: users, cameras, credits. Everything here must be accepted.
    for (const wave of plan.setup) await Promise.all(wave.map(send));
    const setup = plan.setup.flat();
    expect(
      setup.filter((c) => !outcomes.get(c.id)?.ok).map((c) => [c.name, outcomes.get(c.id)]),
      `seed ${seed}: setup`,
    ).toEqual([]);

    // The mix, paced so it lasts about mixMs whatever its size.
    let next = 0;
    let done = 0;
    const pauseMs = Math.max(5, (mixMs * lanes) / plan.mix.length);
    const lane = async () => {
      for (let i = next++; i < plan.mix.length; i = next++) {
        const group = plan.mix[i] as readonly Planned[];
        await Promise.all(group.map(send));
        done++;
        await sleep(Math.random() * 2 * pauseMs);
      }
    };
    const until = async (count: number) => {
      while (done < count && next < plan.mix.length) await sleep(20);
    };
    const failures = (async () => {
      await until(Math.floor(plan.mix.length / 3));
      const victim = workers[0] as WorkerProcess;
      killed.add(victim);
      victim.kill('SIGKILL');
      await victim.exited;
      workers.push(await startWorkerProcess(env));
      await until(Math.floor((2 * plan.mix.length) / 3));
      await server.stop();
      await sleep(1_000);
      await server.start();
    })();
    await Promise.all([...Array.from({ length: lanes }, lane), failures]);

    // A client that got no answer asks again, with more patience, as a real one would.
    const patient = createClient(nc, { prefix, timeoutMs: 5_000, retries: 0 });
    const all = [...setup, ...plan.mix.flat()];
    for (const c of all.filter((c) => outcomes.get(c.id) === undefined))
      outcomes.set(c.id, (await deliver(patient, c, { attempts: 4, pauseMs: 500 })).outcome);
    // And a retry of a command that was answered gets that answer again, whichever worker takes it.
    const repeated: string[] = [];
    for (const c of all.filter((c) => outcomes.get(c.id) !== undefined).slice(-25)) {
      const { outcome: again } = await deliver(patient, c, { attempts: 3, pauseMs: 500 });
      if (JSON.stringify(again) !== JSON.stringify(outcomes.get(c.id)))
        repeated.push(
          `${c.name} ${c.id}: first ${JSON.stringify(outcomes.get(c.id))}, again ${JSON.stringify(again)}`,
        );
    }

    const history = await settledHistory();
    const findings = judge(all, outcomes, history, trashRetentionMs);
    const verify = await runCamledger(['audit', 'verify', '--json'], env);

    const tag = `seed ${seed}`;
    const unknown = all.filter((c) => outcomes.get(c.id) === undefined).length;
    const ok = all.filter((c) => outcomes.get(c.id)?.ok).length;
    console.log(
      `chaos seed ${seed}: ${all.length} commands, ${ok} accepted, ${all.length - ok - unknown} rejected, ${unknown} unknown (${retried} needed a retry), ${history.length} events`,
    );
    // The failures must have hit commands in flight, or this run proved nothing about them.
    expect(retried, `${tag}: commands that needed a retry`).toBeGreaterThan(0);
    const died = workers
      .filter((w) => !killed.has(w) && (w.child.exitCode !== null || w.child.signalCode !== null))
      .map(
        (w) => `pid ${w.pid} exited (${w.child.exitCode ?? w.child.signalCode}): ${w.stderr().slice(-800)}`,
      );
    expect.soft(died, `${tag}: workers nobody killed stay up`).toEqual([]);
    expect.soft(repeated, `${tag}: a retry answers as the first time`).toEqual([]);
    expect.soft(findings.orphans, `${tag}: events no command asked for`).toEqual([]);
    expect.soft(findings.appliedTwice, `${tag}: effects applied more than once`).toEqual([]);
    expect.soft(findings.rejectedWithEffect, `${tag}: rejected commands that left an effect`).toEqual([]);
    expect.soft(findings.replyDisagrees, `${tag}: replies that do not match the history`).toEqual([]);
    expect.soft(findings.negativeCredits, `${tag}: credits below 0`).toEqual([]);
    expect.soft(findings.twoOwners, `${tag}: one folder id, two owners`).toEqual([]);
    expect.soft(findings.claimsAmiss, `${tag}: claims not one per command, by its actor`).toEqual([]);
    expect
      .soft(findings.modelRefuses, `${tag}: applied commands the model refuses at their place`)
      .toEqual([]);
    expect.soft(findings.stateDiffers, `${tag}: state from history vs the model`).toEqual([]);
    // The auditor reads the same history with the domain's rules: it must find nothing either.
    expect
      .soft(
        verify.code,
        `${tag}: audit verify said\n${verify.stdout.slice(0, 4000)}\n${verify.stderr.slice(-2000)}`,
      )
      .toBe(0);
  }, 180_000);
});
