// The checkpoint store's contract: a name without a checkpoint has none, the
// last save is what loads, and names do not see each other.
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckpointStore } from '../port.ts';

export interface CheckpointTarget {
  open(): Promise<CheckpointStore>;
  dispose?(): Promise<void>;
}

export function checkpointContract(name: string, target: CheckpointTarget): void {
  describe(`checkpoint contract: ${name}`, () => {
    let store: CheckpointStore | undefined;
    const open = async () => {
      store ??= await target.open();
      return store;
    };
    afterAll(async () => {
      await store?.close();
      await target.dispose?.();
    });
    const unique = (stem: string) =>
      `${stem}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

    it('has nothing for a reader that never saved', async () => {
      expect(await (await open()).load(unique('never'))).toBeUndefined();
    });

    it('loads the last position saved, for that reader only', async () => {
      const checkpoints = await open();
      const reactor = unique('reactor');
      const projection = unique('projection.v1 with spaces');
      await checkpoints.save(reactor, 7);
      await checkpoints.save(reactor, 2 ** 53 - 1);
      await checkpoints.save(projection, 0);
      expect(await checkpoints.load(reactor)).toBe(2 ** 53 - 1);
      expect(await checkpoints.load(projection)).toBe(0);
    });
  });
}
