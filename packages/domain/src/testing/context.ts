import { type CommandContext, type DomainConfig, defaultDomainConfig } from '../kernel/context.ts';
import type { IdPrefix, UserId } from '../kernel/ids.ts';

/** A valid id whose ULID part ends in `n`, so tests can name ids by number. */
export function testId<P extends IdPrefix>(prefix: P, n: number | string): `${P}_${string}` {
  return `${prefix}_${String(n).toUpperCase().padStart(26, '0')}`;
}

export interface TestContextOptions {
  readonly actor?: UserId | 'system';
  readonly now?: Date | string;
  readonly commandId?: string;
  readonly config?: Partial<DomainConfig>;
  /** First number handed out by `newId`; ids are `<prefix>_0…0<n>` counting up. */
  readonly firstNewId?: number;
}

export const defaultActor: UserId = testId('usr', 'A');

/** A deterministic context: a fixed clock and ids counting up from 900. */
export function testContext(options: TestContextOptions = {}): CommandContext {
  let next = options.firstNewId ?? 900;
  let secretCount = 1;
  return {
    now: new Date(options.now ?? '2026-01-01T00:00:00.000Z'),
    actor: options.actor ?? defaultActor,
    commandId: options.commandId ?? 'cmd-test',
    newId: (prefix) => testId(prefix, next++),
    config: { ...defaultDomainConfig, ...options.config },
    // Readable stand-ins: specs see which secret was drawn and that it was sealed.
    secrets: { fresh: () => `secret-${secretCount++}`, seal: (clear) => `sealed(${clear})` },
  };
}
