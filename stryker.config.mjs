// Mutation testing (`pnpm mutation`): StrykerJS changes the domain and the
// command path one small edit at a time and checks that some test fails.
// Too slow for CI; run it before a release or after a change to the rules,
// and record the score in BENCHMARKS.md. A slice (one comma-separated list;
// a second --mutate replaces the first): `pnpm mutation --mutate
// 'packages/domain/src/folder/**/*.ts,!**/*.spec.ts,!**/*.data.ts'`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // Stryker looks for '@stryker-mutator/*' plugins beside its own package,
  // which under pnpm holds only core; name the runner by its resolved file.
  plugins: [import.meta.resolve('@stryker-mutator/vitest-runner')],
  vitest: {
    configFile: 'vitest.mutation.config.ts',
    // Each mutant runs only the specs that import its file and, within them,
    // only the tests that reached it in the dry run (perTest coverage).
    related: true,
  },
  coverageAnalysis: 'perTest',
  mutate: [
    'packages/domain/src/**/*.ts',
    'packages/runtime/src/**/*.ts',
    '!**/*.spec.ts',
    // Test support, not rules: the shared fixtures, the model and its mini worker.
    '!packages/domain/src/testing/**',
    '!packages/domain/src/model/**',
    '!packages/domain/src/**/fixtures.ts',
    '!packages/domain/src/**/fixtures/**',
    '!packages/domain/src/network/simulation.ts',
    // Generated from Unicode's CaseFolding.txt; case-folding.ts is mutated.
    '!packages/domain/src/folder/case-folding.data.ts',
  ],
  // Static mutants (code run once, at module load: the case-folding table,
  // zod schemas built at the top level) each need every spec reloaded, about
  // 45 s apiece here; they are 10% of the mutants and would take 60% of the
  // time. They are listed as ignored; the unit specs load those modules anyway.
  ignoreStatic: true,
  // The machine has 2 cores shared by everyone.
  concurrency: 1,
  // Later runs re-test only mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false },
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 10_000,
  // Stryker rewrites tsconfig paths that leave the sandbox through the
  // `typescript` JS API, which TypeScript 7 (native) no longer has. Ours name
  // nothing outside the tree, so point it at a file that does not exist.
  tsconfigFile: 'tsconfig.stryker-skips-this.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  ignorePatterns: ['reports', 'bench', 'docker', '.vitest-report.json', 'coverage'],
};
