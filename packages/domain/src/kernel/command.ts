import type { z } from 'zod';
import type { StateReader } from './aggregate.ts';
import type { CommandContext } from './context.ts';
import type { Decision } from './decision.ts';
import type { StoredEvent } from './events.ts';

export type CommandName = `${string}.${string}`;

/**
 * One command of the wire contract, as a vertical slice: its name on the wire
 * (`<object>.<action>`), whether only internal services may send it, the zod
 * schema of its payload, what it reads, and the pure decision.
 *
 * `load` only gathers states through the reader; every rule lives in
 * `decide`, which gets the loaded states and the context and returns a value.
 * The worker appends the decision's write with its expected revision; on a
 * conflict it loads and decides again.
 */
export interface CommandHandler<P = unknown, L = unknown, I = unknown, N extends CommandName = CommandName> {
  readonly name: N;
  readonly internal: boolean;
  /**
   * Only ever run by the workers as a reactor's follow-up (DOMAIN.md §1), never
   * served on any subject: a client asking for it gets 16 on every channel.
   */
  readonly followUpOnly?: boolean;
  /** P is what decide gets; I is what a client sends (the typed client is derived from it). */
  readonly payload: z.ZodType<P, I>;
  readonly load: (payload: P, ctx: CommandContext, reader: StateReader) => Promise<L>;
  readonly decide: (payload: P, loaded: L, ctx: CommandContext) => Decision;
}

/**
 * Declares a command; its payload and input types are read off the zod
 * schema; its name, `internal` and `followUpOnly` stay literal, so the typed
 * client can leave out what no client may send and ask an actor of the rest.
 */
export function defineCommand<
  const N extends CommandName,
  S extends z.ZodType,
  L,
  const I extends boolean,
  const F extends boolean = false,
>(handler: {
  readonly name: N;
  readonly internal: I;
  readonly followUpOnly?: F;
  readonly payload: S;
  readonly load: (payload: z.output<S>, ctx: CommandContext, reader: StateReader) => Promise<L>;
  readonly decide: (payload: z.output<S>, loaded: L, ctx: CommandContext) => Decision;
}): CommandHandler<z.output<S>, L, z.input<S>, N> & { readonly internal: I; readonly followUpOnly?: F } {
  return handler as CommandHandler<z.output<S>, L, z.input<S>, N> & {
    readonly internal: I;
    readonly followUpOnly?: F;
  };
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds handlers of every payload type
export type AnyCommandHandler = CommandHandler<any, any, any, CommandName>;

/**
 * A follow-up command that an event asks for, on another aggregate
 * (DOMAIN.md §1: effects on other aggregates go through reactors). The
 * worker runs it as `system` right after the append, before it replies, with
 * a command id derived from the original, so a retry repeats it harmlessly.
 */
export interface FollowUp {
  readonly command: CommandName;
  readonly payload: Readonly<Record<string, unknown>>;
}

export type Reactor = (event: StoredEvent) => readonly FollowUp[];
