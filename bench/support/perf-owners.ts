// Who owns a process's CPU: reads `perf script` output (stacks sampled on the
// CPU) and charges each sample to the first JavaScript frame from the leaf up
// that belongs to camledger, nats.js, pino or zod. Builtins, V8's C++ and
// the kernel work done on behalf of a call are charged to its caller that
// way; samples with no JavaScript frame at all (GC helper threads, libuv,
// the kernel between turns) are told apart by their leaf. Each owner's share
// is a lower bound: perf cannot unwind through libc's allocator, and work an
// owner causes on other threads (concurrent marking of its garbage) is not
// on its stacks.
//
// JIT frames are named from V8's jitdump (`--perf-prof`, then `perf inject
// --jit`), which says when each piece of code was made, not from a
// `--perf-basic-prof` map, which only says where. V8 frees code and
// reuses its addresses, and a map then names a frame after whatever was
// there first: socket writes made by nats.js's `flushPending` showed up
// under camledger's `appendAndRemember`, 8 % of a worker's samples.
//
// V8's own `--cpu-prof` samples on a wall clock and charges time spent off
// the CPU (a blocked write) to whatever was running; `perf` does not.
//
//   BENCH_WORKER_NODE_ARGS=--perf-prof BENCH_PARTS=throughput ... pnpm bench worker &
//   perf record -k 1 -g -F 1999 -p <worker pid> -o /tmp/worker.perf -- sleep 20
//   perf inject --jit -i /tmp/worker.perf -o /tmp/worker.jit.perf   # reads ./jit-<pid>.dump
//   perf script -i /tmp/worker.jit.perf > /tmp/worker.stacks
//   node --import tsx bench/support/perf-owners.ts /tmp/worker.stacks [CPU µs per command]
//
// With the process's CPU per command from the same run (the bench prints
// it), each share is also given in microseconds per command.
import { readFileSync } from 'node:fs';

const owners: readonly [string, RegExp][] = [
  ['nats.js', /node_modules\/\.pnpm\/nats@/],
  ['pino', /node_modules\/\.pnpm\/(pino|sonic-boom)@/],
  ['zod', /node_modules\/\.pnpm\/zod@/],
  ['camledger', /file:\/\/\/[^ ]*\/(packages|services)\//],
];

/** The owner of a JIT frame, or undefined for Node's own JavaScript (look further up) and native frames. */
function ownerOf(frame: string): string | undefined {
  if (!frame.includes('JS:')) return undefined;
  for (const [owner, pattern] of owners) if (pattern.test(frame)) return owner;
  return frame.includes('node:') ? undefined : 'other JavaScript';
}

function leafKind(leaf: string): string {
  if (leaf.includes('[kernel')) return 'no JavaScript frame: kernel';
  if (/Scaveng|Marking|Sweep|Evacuat|GC/.test(leaf)) return 'no JavaScript frame: garbage collection';
  return 'no JavaScript frame: native (libuv, V8, libc)';
}

const file = process.argv[2];
if (!file) throw new Error('usage: perf-owners.ts <perf script output> [CPU µs per command]');
const perCommand = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const counts = new Map<string, number>();
let total = 0;
for (const sample of readFileSync(file, 'utf8').split('\n\n')) {
  const frames = sample
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter(Boolean);
  if (frames.length === 0) continue;
  total++;
  let owner: string | undefined;
  for (const frame of frames) {
    owner = ownerOf(frame);
    if (owner) break;
  }
  if (!owner) owner = frames.some((f) => f.includes('JS:')) ? "Node's own JavaScript" : leafKind(frames[0]!);
  counts.set(owner, (counts.get(owner) ?? 0) + 1);
}
const micros = (n: number) => (perCommand === undefined ? '' : ` ${((perCommand * n) / total).toFixed(1)} |`);
console.log(`| owner | share of ${total} samples |${perCommand === undefined ? '' : ' µs per command |'}`);
console.log(`| --- | ---: |${perCommand === undefined ? '' : ' ---: |'}`);
for (const [owner, n] of [...counts].sort((a, b) => b[1] - a[1]))
  console.log(`| ${owner} | ${((100 * n) / total).toFixed(1)} % |${micros(n)}`);
