import type { NatsConnection } from 'nats';

const MiB = 1024 * 1024;

/**
 * The most bytes one pull may ask the server for. A pull bounded by count
 * alone brings the whole batch at once, and a batch of large appends (4096
 * messages of 43 KB: clips of a few hundred frames) is more than the
 * server lets a client have pending (64 MiB by default): it drops the
 * client as a slow consumer and the reader makes no progress, for ever.
 * A pull must still fit the largest message the server takes, headers
 * included, or the server refuses it.
 */
export const pullBytes = (nc: NatsConnection): number =>
  Math.max(8 * MiB, (nc.info?.max_payload ?? MiB) + 64 * 1024);
