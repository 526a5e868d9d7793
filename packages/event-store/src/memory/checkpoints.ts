import type { CheckpointStore, Position } from '../port.ts';

/** Checkpoints that live as long as the process: for tests and the memory store. */
export function memoryCheckpoints(): CheckpointStore {
  const saved = new Map<string, Position>();
  return {
    async load(name) {
      return saved.get(name);
    },
    async save(name, position) {
      saved.set(name, position);
    },
    async close() {},
  };
}
