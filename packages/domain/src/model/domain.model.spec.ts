import {
  accountAndCameraSteps,
  answersSeen,
  cameraPool,
  folderPool,
  foundationSteps,
  frameIds,
  itemPool,
  MiniWorker,
  networkPool,
  ReferenceModel,
  socialSteps,
  startingUsers,
} from '@camledger/testing/model';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDomainConfig } from '../kernel/index.ts';

// Random command sequences run on the real domain (through a worker-like
// runner) and on a small reference model written from the contract; every
// reply's code must be one the model predicts. On failure fast-check prints
// the seed and the shrunk sequence; MODEL_SEED (and MODEL_PATH) replay it.
// The runner is MiniWorker: the runtime's `execute` over the memory store.

const start = Date.parse('2026-01-01T00:00:00.000Z');

async function setup(): Promise<{ model: ReferenceModel; real: MiniWorker }> {
  const model = new ReferenceModel(start, defaultDomainConfig.trashRetentionMs);
  const real = new MiniWorker(defaultDomainConfig);
  for (const [userId, username] of startingUsers) {
    const decision = await real.run(
      'account.register',
      'system',
      { user_id: userId, username },
      new Date(start),
    );
    expect(decision.code).toBe(10000);
    model.register(userId, username).apply?.({});
  }
  // Each starting user has a camera able to show live view, a clip from it in
  // the inbox and a top-level folder, so the first steps already meet items
  // and folders (through the same commands, checked against the same model).
  for (const [i, [owner]] of startingUsers.entries()) {
    const cameraId = cameraPool[i] as string;
    const itemId = itemPool[i] as string;
    const folderId = folderPool[i] as string;
    const seeds = [
      {
        command: 'camera.register',
        actor: 'system',
        payload: { camera_id: cameraId, owner_id: owner, label: 'porch', live_view_capable: 1 },
        prediction: model.registerCamera(cameraId, owner, true),
      },
      {
        command: 'item.record',
        actor: 'system',
        payload: {
          item_id: itemId,
          camera_id: cameraId,
          start_datetime: '2026-01-01 10:00:00',
          end_datetime: '2026-01-01 10:00:05',
          is_alert: 0,
          frames: frameIds.map((identifier) => ({ identifier, datetime: '2026-01-01 10:00:00' })),
        },
        prediction: () => model.record(itemId, cameraId, frameIds),
      },
      {
        command: 'folder.create',
        actor: owner,
        payload: { folder_id: folderId, name: 'Garden', parent_id: 0 },
        prediction: () => model.createFolder(owner, folderId, 'Garden', null),
      },
    ];
    for (const seed of seeds) {
      const decision = await real.run(seed.command, seed.actor, seed.payload, new Date(start));
      const prediction = typeof seed.prediction === 'function' ? seed.prediction() : seed.prediction;
      expect(prediction.codes).toContain(decision.code);
      if (decision.ok) prediction.apply?.(decision.result);
    }
  }
  // And the first user's public network, so network steps meet one from the start.
  const [owner] = startingUsers[0];
  const network = {
    network_id: networkPool[0],
    name: 'Neighbours',
    type: 'public',
    requires_cameras: 0,
    description: '',
  };
  expect((await real.run('network.create', owner, network, new Date(start))).code).toBe(10000);
  model.createNetwork(owner, networkPool[0] as string, 'Neighbours', 'public', false, '').apply?.({});
  return { model, real };
}

/**
 * The seeds each property runs with: a fixed one, so CI checks the same
 * sequences every time and a boundary it reaches stays guarded, and a random
 * one, printed, so every run also explores. MODEL_SEED=<seed>
 * [MODEL_PATH=<path>] replays one failure (fast-check prints both).
 */
const fixedSeed = 20_260_101;
function seeds(): { label: string; seed: number; path?: string }[] {
  const replaying = process.env.MODEL_SEED;
  if (replaying !== undefined) {
    const path = process.env.MODEL_PATH;
    return [{ label: 'replayed', seed: Number(replaying), ...(path === undefined ? {} : { path }) }];
  }
  // A fresh seed per run (the fixed one above keeps CI repeatable); 31 bits, as fast-check takes.
  const random = (crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) >>> 1;
  console.log(`domain model test: random seed ${random} (replay with MODEL_SEED=${random})`);
  return [
    { label: 'fixed', seed: fixedSeed },
    { label: 'random', seed: random },
  ];
}

describe.each(seeds())('the domain against its reference model ($label seed $seed)', ({ seed, path }) => {
  const runs = { numRuns: 50, verbose: 1, seed, ...(path === undefined ? {} : { path }) };

  it('answers every account, camera, item and folder command with the code the model predicts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(foundationSteps, { maxCommands: 40, size: 'max' }), (steps) =>
        fc.asyncModelRun(setup, steps),
      ),
      runs,
    );
  });

  it('answers every network, forum and private message command with the code the model predicts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.commands([...socialSteps, ...accountAndCameraSteps], { maxCommands: 40, size: 'max' }),
        (steps) => fc.asyncModelRun(setup, steps),
      ),
      runs,
    );
  });

  afterAll(() => {
    if (process.env.MODEL_STATS)
      console.log(
        [...answersSeen]
          .sort()
          .map(([k, n]) => `${k}: ${n}`)
          .join('\n'),
      );
  });
});
