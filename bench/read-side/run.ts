// The read side's benchmarks (issue 12), each in its own process: projection
// catch-up, item.get_list over NATS, projection lag under a command load.
// Quick sizes by default; pass options through, e.g.
//   npx tsx bench/read-side/run.ts --events 1000000 --items 1000000
// (each script takes the options it knows and ignores the rest).
import { spawnSync } from 'node:child_process';

const options = process.argv.slice(2);
let failed = 0;
for (const part of ['catch-up', 'queries', 'lag']) {
  console.error(`\n-- read-side/${part} --`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/read-side/${part}.ts`, ...options], {
    stdio: 'inherit',
  });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
