import { type CamledgerClient, createClient, type Outcome } from '@camledger/client';
import { deleteJetStreamNamespace } from '@camledger/event-store';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepted, registerCamera, registerUser } from '../support/fixtures.ts';
import { balances, cycleIn, folders, readHistory } from '../support/history.ts';
import { randomId } from '../support/ids.ts';
import { untilEveryInstanceServed } from '../support/service-stats.ts';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';
import { killAllWorkerProcesses, startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

// The races of a deployment with more than one worker, run as one: two
// worker processes (`pnpm start` twice) on one prefix, sharing the queue
// group and the JetStream namespace. Each race is a trial repeated
// CAMLEDGER_RACE_TRIALS times (5 by default): one lucky interleaving proves
// nothing, so every trial must keep the rule, and the results of all trials
// are asserted together (a failure shows how many trials broke it).
//
// "Both workers have read it": which worker serves a request is the queue
// group's random choice, and we do not look inside the workers. We send a
// command that reads the aggregate one at a time until $SRV.STATS (the NATS
// services API, what an operator sees) shows that each of the two instances
// answered at least one of them since the warm-up began. Whatever the
// workers keep of that aggregate (a cache, a snapshot) is then warm in both.

const trials = Number(process.env.CAMLEDGER_RACE_TRIALS ?? 5);
const prefix = uniquePrefix('race');
let nc: NatsConnection;
let client: CamledgerClient;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
  client = createClient(nc, { prefix, timeoutMs: 15_000, retries: 0 });
  const env = { NATS_URL: natsUrl, CAMLEDGER_PREFIX: prefix, CAMLEDGER_STORE: 'jetstream' };
  workers.push(...(await Promise.all([startWorkerProcess(env), startWorkerProcess(env)])));
});
afterAll(async () => {
  // Both workers stop before the namespace they share is deleted under them.
  await Promise.all(workers.map((w) => w.stop()));
  await killAllWorkerProcesses();
  await deleteJetStreamNamespace(nc, prefix);
  await nc.close();
});

const codesOf = (outcomes: readonly Outcome[]) => outcomes.map((o) => o.code).sort((a, b) => a - b);

type Spend = (startLiveView: () => Promise<Outcome>) => Promise<Outcome[]>;

/** 10 at once: the workers race to append at the same revision. */
const allAtOnce: Spend = (start) => Promise.all(Array.from({ length: 10 }, start));
/**
 * 10 in quick succession: no two race for one revision, so no version
 * conflict ever makes a worker drop what it holds of the account. A worker
 * whose view of the account ran ahead of the store keeps deciding on it.
 */
const oneAfterAnother: Spend = async (start) => {
  const outcomes: Outcome[] = [];
  for (let i = 0; i < 10; i++) outcomes.push(await start());
  return outcomes;
};

/** Trials of: an account both workers read, topped up to exactly 2 credits, then 10 live views. */
async function spendTwoCredits(spend: Spend) {
  const results: { codes: number[]; accepted: number; lowest: number; balance: number }[] = [];
  for (let trial = 0; trial < trials; trial++) {
    const user = await registerUser(client);
    const cameraId = await registerCamera(client, user, { liveViewCapable: true });
    const startLiveView = () => client.camera.start_liveview({ camera_id: cameraId }, { actor: user });
    // Warm-up: the camera is not connected yet, so each try is 2003 and
    // spends nothing, but it loads the account in whichever worker serves it.
    await untilEveryInstanceServed(nc, prefix, 2, async () => {
      expect((await startLiveView()).code).toBe(2003);
    });
    // The 2 credits come after the warm-up, in two top-ups each served by
    // one worker: the account a worker read before is now behind the store,
    // which is when it must catch up without counting an event twice.
    accepted(await client.account.add_credits({ user_id: user, credits: 1 }));
    accepted(await client.account.add_credits({ user_id: user, credits: 1 }));
    // Both workers read the account again, many reads at once in each (still
    // 2003: nothing is spent), the way a burst of commands from one user reads it.
    const reads = await Promise.all(Array.from({ length: 10 }, startLiveView));
    expect(codesOf(reads)).toEqual(Array(10).fill(2003));
    accepted(await client.camera.liveview_connected({ camera_id: cameraId }));

    const outcomes = await spend(startLiveView);
    const account = balances(await readHistory(nc, prefix)).get(user);
    results.push({
      codes: codesOf(outcomes),
      accepted: outcomes.filter((o) => o.ok).length,
      lowest: account?.lowest ?? 0,
      balance: account?.balance ?? 0,
    });
  }
  const shown = JSON.stringify(results);
  // The rule at stake: 2 credits buy at most 2 sessions, and history never shows a debt.
  expect(
    results.filter((r) => r.accepted > 2),
    `trials that accepted more than 2: ${shown}`,
  ).toEqual([]);
  expect(
    results.filter((r) => r.lowest < 0),
    `trials whose history has credits below 0: ${shown}`,
  ).toEqual([]);
  // And no worker refuses while credits remain: exactly 2 sessions, the rest
  // told "no credits" (1000), and nothing left on the account.
  for (const r of results) {
    expect(r.codes, shown).toEqual([...Array(8).fill(1000), 10000, 10000]);
    expect(r.balance, shown).toBe(0);
  }
}

describe('two workers, one account with 2 credits, 10 live views', () => {
  it('10 at once: at most 2 accepted, and the balance folded from history never goes below 0', async () => {
    await spendTwoCredits(allAtOnce);
  }, 180_000);

  it('10 one after another: at most 2 accepted, and the balance never goes below 0', async () => {
    await spendTwoCredits(oneAfterAnother);
  }, 180_000);
});

describe('two users create a folder with the same client-chosen id at once', () => {
  it('accepts exactly one; the other is told the id is taken (128) and history has one owner', async () => {
    const alice = await registerUser(client);
    const bob = await registerUser(client);
    const results: { folderId: string; codes: number[]; owners: readonly string[] }[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const folderId = randomId('fld');
      const create = (actor: string, name: string) =>
        client.folder.create({ folder_id: folderId, name, parent_id: 0 }, { actor });
      // Names of their own per trial, so only the id can clash.
      const outcomes = await Promise.all([create(alice, `Garden ${trial}`), create(bob, `Drive ${trial}`)]);
      const owners = folders(await readHistory(nc, prefix)).get(folderId)?.owners ?? [];
      results.push({ folderId, codes: codesOf(outcomes), owners });
    }
    const shown = JSON.stringify(results);
    expect(
      results.filter((r) => r.codes.filter((c) => c === 10000).length !== 1),
      `trials where not exactly one create was accepted: ${shown}`,
    ).toEqual([]);
    expect(
      results.filter((r) => r.owners.length !== 1),
      `trials whose history gives the id to more or fewer than one tree: ${shown}`,
    ).toEqual([]);
    for (const r of results) expect(r.codes, shown).toEqual([128, 10000]);
  }, 180_000);
});

describe('two registrations of one client-chosen user id, under two usernames, at once', () => {
  it('accepts exactly one; the other is 128, its username stays free, and history has one account', async () => {
    const results: { codes: number[]; names: number; accounts: number; loserFree: boolean }[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const userId = randomId('usr');
      const stem = `r${Date.now().toString(36)}${trial}`;
      const register = (username: string) =>
        client.account.register({ user_id: userId, username, display_name: '' });
      const outcomes = await Promise.all([register(`${stem}a`), register(`${stem}b`)]);
      const lost = outcomes[0]?.ok ? `${stem}b` : `${stem}a`;
      // Someone else can still have the name that lost.
      const loserFree = (await client.account.register({ username: lost, display_name: '' })).ok;
      const history = await readHistory(nc, prefix);
      results.push({
        codes: codesOf(outcomes),
        names: history.filter((e) => e.type === 'UsernameClaimed' && e.data.userId === userId).length,
        accounts: history.filter((e) => e.type === 'AccountRegistered' && e.data.userId === userId).length,
        loserFree,
      });
    }
    const shown = JSON.stringify(results);
    expect(
      results.filter((r) => r.codes.join() !== '128,10000' || r.names !== 1 || !r.loserFree),
      `trials where both registrations or neither got the id: ${shown}`,
    ).toEqual([]);
    // The account is opened by a follow-up, inline: once.
    for (const r of results) expect(r.accounts, shown).toBe(1);
  }, 180_000);
});

describe("a new user's first folders, generated ids, created at once on both workers", () => {
  it('registers her creator tag once, creates every folder, and another user can take none of them', async () => {
    const results: { codes: number[]; tags: number; taken: number[]; renamed: number[] }[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const alice = await registerUser(client);
      const bob = await registerUser(client);
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          client.folder.create({ name: `Shed ${i}`, parent_id: 0 }, { actor: alice }),
        ),
      );
      const ids = outcomes.flatMap((o) => (o.ok ? [String(o.result.folder_id)] : []));
      // Bob tries each new id as soon as it exists: to create it as his own, and to rename it.
      const taken = await Promise.all(
        ids.map((id) => client.folder.create({ folder_id: id, name: 'Mine', parent_id: 0 }, { actor: bob })),
      );
      const renamed = await Promise.all(
        ids.map((id) => client.folder.rename({ folder_id: id, name: 'Mine' }, { actor: bob })),
      );
      const history = await readHistory(nc, prefix);
      const tags = history.filter((e) => e.type === 'IdTagHeld' && e.data.userId === alice).length;
      results.push({ codes: codesOf(outcomes), tags, taken: codesOf(taken), renamed: codesOf(renamed) });
    }
    const shown = JSON.stringify(results);
    for (const r of results) {
      expect(r.codes, shown).toEqual([10000, 10000, 10000, 10000, 10000, 10000]);
      expect(r.tags, shown).toBe(1);
      expect(r.taken, shown).toEqual(Array(6).fill(128));
      expect(r.renamed, shown).toEqual(Array(6).fill(4002));
    }
  }, 180_000);
});

describe('one user moves A under B and B under A at once', () => {
  it('never accepts both, and the tree folded from history has no cycle', async () => {
    const user = await registerUser(client);
    const results: { codes: number[]; cycle: string[] | undefined }[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const a = accepted(await client.folder.create({ name: `A ${trial}`, parent_id: 0 }, { actor: user }))
        .folder_id as string;
      const b = accepted(await client.folder.create({ name: `B ${trial}`, parent_id: 0 }, { actor: user }))
        .folder_id as string;
      // Warm-up: moving A to where it already is (the top level) is 4003 and reads the tree.
      await untilEveryInstanceServed(nc, prefix, 2, async () => {
        expect((await client.folder.move({ folder_id: a, parent_id: 0 }, { actor: user })).code).toBe(4003);
      });
      const outcomes = await Promise.all([
        client.folder.move({ folder_id: a, parent_id: b }, { actor: user }),
        client.folder.move({ folder_id: b, parent_id: a }, { actor: user }),
      ]);
      results.push({ codes: codesOf(outcomes), cycle: cycleIn(folders(await readHistory(nc, prefix))) });
    }
    const shown = JSON.stringify(results);
    expect(
      results.filter((r) => r.codes.filter((c) => c === 14002).length > 1),
      `trials that accepted both moves: ${shown}`,
    ).toEqual([]);
    expect(
      results.filter((r) => r.cycle !== undefined),
      `trials that left a cycle: ${shown}`,
    ).toEqual([]);
    // The first move to land wins; the second now names its own subtree (4003).
    for (const r of results) expect(r.codes, shown).toEqual([4003, 14002]);
  }, 180_000);
});

describe('one command id sent at once for two different accounts', () => {
  it('is applied once: one top-up accepted, the other told the id was used (128), one append in history', async () => {
    const alice = await registerUser(client);
    const bob = await registerUser(client);
    const results: { commandId: string; codes: number[]; appends: number }[] = [];
    for (let trial = 0; trial < trials; trial++) {
      // The two commands write different streams, so no expected revision
      // stands between them: only the key taken with the append does.
      const commandId = `reused-${trial}-${randomId('fld')}`;
      const topUp = (user: string) =>
        client.send('account.add_credits', { user_id: user, credits: 3 }, { commandId });
      const outcomes = await Promise.all([topUp(alice), topUp(bob)]);
      const appends = new Set(
        (await readHistory(nc, prefix))
          .filter((e) => e.metadata.commandId === commandId)
          .map((e) => e.position),
      ).size;
      results.push({ commandId, codes: codesOf(outcomes), appends });
    }
    const shown = JSON.stringify(results);
    expect(
      results.filter((r) => r.appends !== 1),
      `trials whose history holds more or fewer than one append of the command id: ${shown}`,
    ).toEqual([]);
    for (const r of results) expect(r.codes, shown).toEqual([128, 10000]);
    // Whatever each lane was told, the balances agree with one top-up per trial.
    const held = balances(await readHistory(nc, prefix));
    expect((held.get(alice)?.balance ?? 0) + (held.get(bob)?.balance ?? 0)).toBe(3 * trials);
  }, 180_000);
});
