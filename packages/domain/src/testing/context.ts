import { type CommandContext, type DomainConfig, defaultDomainConfig } from '../kernel/context.ts';
import { generatedId, type Id, type IdPrefix, type UserId } from '../kernel/ids.ts';

/** A valid id whose ULID part ends in `n`, so tests can name ids by number. */
export function testId<P extends IdPrefix>(prefix: P, n: number | string): `${P}_${string}` {
  return `${prefix}_${String(n).toUpperCase().padStart(26, '0')}`;
}

export const defaultActor: UserId = testId('usr', 'A');

/**
 * The id `newId` hands out as number `n` in a command of `creator`: its
 * unique part ends in `n`, then the creator's tag and the mark of a
 * generated id follow, as on every id the worker generates.
 */
export function generatedTestId<P extends IdPrefix>(
  prefix: P,
  n: number | string,
  creator: string = defaultActor,
): Id<P> {
  return generatedId(prefix, String(n).toUpperCase().padStart(10, '0'), creator);
}

export interface TestContextOptions {
  readonly actor?: UserId | 'system';
  readonly now?: Date | string;
  readonly commandId?: string;
  readonly config?: Partial<DomainConfig>;
  /** First number handed out by `newId`; ids are `generatedTestId(prefix, n)`, n counting up. */
  readonly firstNewId?: number;
}

/** A deterministic context: a fixed clock and ids counting up from 900. */
export function testContext(options: TestContextOptions = {}): CommandContext {
  let next = options.firstNewId ?? 900;
  const actor = options.actor ?? defaultActor;
  let secretCount = 1;
  return {
    now: new Date(options.now ?? '2026-01-01T00:00:00.000Z'),
    actor,
    commandId: options.commandId ?? 'cmd-test',
    newId: (prefix) => generatedTestId(prefix, next++, actor),
    config: { ...defaultDomainConfig, ...options.config },
    // Readable stand-ins: specs see which secret was drawn and that it was sealed.
    secrets: { fresh: () => `secret-${secretCount++}`, seal: (clear) => `sealed(${clear})` },
  };
}
