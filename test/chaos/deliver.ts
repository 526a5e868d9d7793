import type { CamledgerClient, Outcome } from '@camledger/client';
import type { Planned } from './plan.ts';

// A client as a careful user writes one: on a timeout, no responder, a lost
// connection or a 1500 (the worker could not finish; it may or may not have
// written), send the same command again with the same command_id, with a
// growing pause. After the last attempt the outcome is unknown: the command
// may have taken effect or not, and the checks must accept either, once.

export interface DeliveryOptions {
  readonly attempts: number;
  readonly pauseMs: number;
}

export interface Delivery {
  /** The reply, or undefined when every attempt went unanswered (or answered 1500). */
  readonly outcome: Outcome | undefined;
  readonly attempts: number;
}

export async function deliver(
  client: CamledgerClient,
  command: Planned,
  options: DeliveryOptions,
): Promise<Delivery> {
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      const outcome = await client.send(command.name, command.payload, {
        actor: command.actor,
        commandId: command.id,
      });
      if (outcome.code !== 1500) return { outcome, attempts: attempt };
    } catch {
      // CommandTimeoutError, or the connection between servers: both mean "ask again".
    }
    await new Promise((resume) => setTimeout(resume, options.pauseMs * attempt));
  }
  return { outcome: undefined, attempts: options.attempts };
}
