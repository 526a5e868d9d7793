import { defineConfig } from 'vitest/config';

// One run covers every package: unit specs sit beside the code they test
// (*.unit.spec.ts, *.property.spec.ts), integration specs that need the real
// NATS server are *.int.spec.ts, and end-to-end specs through the worker
// live in test/. CI asks for a JSON report too (VITEST_JSON_REPORT) so it
// can print one summary line.
const jsonReport = process.env.VITEST_JSON_REPORT;

const everything = ['packages/*/src/**/*.spec.ts', 'services/*/src/**/*.spec.ts', 'test/**/*.spec.ts'];

// Files whose point is timing under faults (a stop deadline, a frozen or
// restarted server, many workers racing, a cluster electing a leader) run
// one at a time after the rest, so a neighbour's load cannot stretch them.
// Everything else runs two files at a time: vitest's default on two cores
// is one, which left the suite within reach of CI's 15 minutes.
const alone = [
  'test/chaos/**/*.spec.ts',
  'test/e2e/races.e2e.spec.ts',
  'test/e2e/worker-lost-nats.e2e.spec.ts',
  'test/e2e/worker-nats-restart.e2e.spec.ts',
  'test/launcher/lost-nats.int.spec.ts',
  'test/deploy/**/*.spec.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'side-by-side', include: everything, exclude: alone, maxWorkers: 2 },
      },
      {
        extends: true,
        test: { name: 'alone', include: alone, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
