import type { RuntimeDeps } from '@camledger/runtime';
import type { Logger } from './logger.ts';

/** The runtime's dependencies plus what only the NATS adapter needs; the worker wires it, tests may too. */
export interface WorkerDeps extends RuntimeDeps {
  readonly prefix: string;
  readonly log: Logger;
}
