import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// `pnpm bench [name…]`: runs each benchmark in its own process (so one's heap
// and JIT state do not colour another's) and prints its Markdown section for
// BENCHMARKS.md. Without names, all of them, the quick ones first.
const all = ['domain', 'command-path', 'event-store', 'worker', 'replay', 'read-side', 'edge'];
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;

let failed = 0;
for (const name of chosen) {
  const script = `bench/${name}/run.ts`;
  if (!existsSync(script)) {
    console.error(`no benchmark "${name}" (known: ${all.join(', ')})`);
    failed++;
    continue;
  }
  console.error(`\n== ${name} ==`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
