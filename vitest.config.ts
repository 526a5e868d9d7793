import { defineConfig } from 'vitest/config';

// One run covers every package: unit specs sit beside the code they test
// (*.unit.spec.ts, *.property.spec.ts), integration specs that need the real
// NATS server are *.int.spec.ts, and end-to-end specs through the worker
// live in test/. CI asks for a JSON report too (VITEST_JSON_REPORT) so it
// can print one summary line.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.spec.ts', 'services/*/src/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
