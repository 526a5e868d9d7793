import { defineConfig } from 'vitest/config';

// One run covers every package: unit specs sit beside the code they test
// (*.unit.spec.ts), integration specs that need the real NATS server are
// *.int.spec.ts, and end-to-end specs through the worker live in test/.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.spec.ts', 'services/*/src/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
