import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The tests Stryker runs against each mutant (see stryker.config.mjs): the
// deterministic in-process specs that reach the domain and the command path,
// unit specs and the contract documents.
// - Integration and end-to-end specs (*.int.spec.ts, test/e2e, test/chaos,
//   test/runtime, test/deploy) need the shared NATS server or child
//   processes: far too slow to repeat per mutant, and they leave state
//   behind when a mutant makes them fail half-way.
// - Property and model specs are left out too. They cost 1-35 s per mutant
//   that reaches them (the whole domain run would take a working day on two
//   cores), and with a fresh random seed each run a mutant could be killed
//   today and survive tomorrow, which makes the score and the incremental
//   cache meaningless. Their job is to find the cases nobody thought of;
//   each rule they guard should also have a deterministic unit test, and
//   that is what the score measures.
//
// Stryker copies the tree into a sandbox but links the root node_modules, and
// node_modules/@camledger/* point back at the original packages. Without the
// aliases below, `import … from '@camledger/domain'` would load the unmutated
// sources and every mutant reached that way would survive. So each workspace
// package's exports are mapped onto the files beside this config, which is
// the sandbox's copy during a mutation run.
const root = fileURLToPath(new URL('.', import.meta.url));

type Alias = { find: RegExp; replacement: string };

function workspaceAliases(): Alias[] {
  const aliases: Alias[] = [];
  for (const group of ['packages', 'services']) {
    for (const dir of readdirSync(join(root, group))) {
      const manifest = join(root, group, dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name?: string;
        exports?: Record<string, string>;
      };
      if (name === undefined || exports === undefined) continue;
      for (const [subpath, target] of Object.entries(exports)) {
        const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
        aliases.push({
          find: new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`),
          replacement: join(root, group, dir, target),
        });
      }
    }
  }
  return aliases;
}

export default defineConfig({
  resolve: { alias: workspaceAliases() },
  test: {
    include: [
      'packages/*/src/**/*.unit.spec.ts',
      // The services' specs that drive the command path: the worker's, and
      // the CLI's checks of histories the one command path wrote.
      'services/command-worker/src/**/*.unit.spec.ts',
      'services/cli/src/verify/**/*.unit.spec.ts',
      'test/contract/**/*.spec.ts',
    ],
    testTimeout: 30_000,
  },
});
