// Tests talk to a real NATS server with JetStream. Make sure one answers on
// NATS_URL (default 127.0.0.1:4222) before vitest starts, starting the
// machine's nats-server when it is installed but down, so a failure says
// "no NATS" instead of a hundred connection timeouts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

const url = new URL((process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(',')[0]);
const host = url.hostname;
const port = Number(url.port || 4222);

const reachable = () =>
  new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });

if (await reachable()) process.exit(0);

const server = '/usr/sbin/nats-server';
if (!existsSync(server)) {
  console.error(`No NATS server answers on ${host}:${port} and ${server} is not installed.`);
  console.error('Install it (apt-get install nats-server) or set NATS_URL to a server with JetStream.');
  process.exit(1);
}
console.error(`Starting ${server} with JetStream on ${host}:${port}`);
spawnSync(
  'start-stop-daemon',
  [
    '--start',
    '--oknodo',
    '--background',
    '--exec',
    server,
    '--',
    '-a',
    host,
    '-p',
    String(port),
    '-js',
    '-sd',
    '/var/lib/nats-server',
    '-l',
    '/var/log/nats-server.log',
  ],
  { stdio: 'inherit' },
);
for (let attempt = 0; attempt < 50; attempt++) {
  if (await reachable()) process.exit(0);
  await new Promise((r) => setTimeout(r, 200));
}
console.error(`NATS did not come up on ${host}:${port}`);
process.exit(1);
