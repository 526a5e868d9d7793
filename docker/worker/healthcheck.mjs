// Docker health check of one command worker: healthy when this container holds
// a NATS connection that is subscribed to `<prefix>.cmd.>`, i.e. it serves
// commands. Asked of the nodes' monitoring endpoint (/connz) rather than with a
// `$SRV.PING`, because a ping is answered by any worker of the queue group and
// would call this container healthy while another one does the work.
// Exit 0 = healthy, 1 = not (Docker's convention). Loopback counts as this
// container's too, so the check also works for a worker beside a local server.
import { networkInterfaces } from 'node:os';

const monitors = (process.env.NATS_MONITOR_URLS ?? 'http://127.0.0.1:8222').split(',').map((s) => s.trim());
// The read side's containers name the subject they serve (`camledger.query.>`, `camledger.projector.status`).
const subject = process.env.CAMLEDGER_HEALTH_SUBJECT || `${process.env.CAMLEDGER_PREFIX || 'camledger'}.cmd.>`;
const ownAddresses = new Set(
  Object.values(networkInterfaces())
    .flat()
    .filter((address) => address !== undefined)
    .map((address) => address.address),
);

async function servesFrom(monitor) {
  const response = await fetch(`${monitor}/connz?subs=1&limit=4096`, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) return false;
  const { connections = [] } = await response.json();
  return connections.some((c) => ownAddresses.has(c.ip) && (c.subscriptions_list ?? []).includes(subject));
}

const answers = await Promise.allSettled(monitors.map(servesFrom));
const healthy = answers.some((a) => a.status === 'fulfilled' && a.value);
if (!healthy) console.error(`no NATS connection from this container subscribed to ${subject}`);
process.exit(healthy ? 0 : 1);
