import { type AccountEvent, accountAggregate, isRegistered } from '../account/index.ts';
import type { CommandContext, Decision, DomainConfig, DomainEvent, StoredEvent } from '../kernel/index.ts';
import { defaultDomainConfig, fold, reject } from '../kernel/index.ts';
import { commandsByName, followUpsOf, schemaVersionOf } from '../registry.ts';
import { memoryReader, testId } from '../testing/index.ts';
import { toRejection } from '../validation/index.ts';

/**
 * The system under test of the model-based test: the real domain, run the
 * way services/command-worker runs a command (actor check, payload
 * validation, load, decide, append at the expected revision, then the
 * follow-ups of every appended event as `system`, depth first, before the
 * reply), over a map of streams instead of a store. Only the transport,
 * the reply log and the retries on a version conflict are left out: one
 * command runs at a time here, so a conflict would be a bug and throws.
 */
export class MiniWorker {
  readonly streams = new Map<string, StoredEvent[]>();
  /** Every follow-up that was refused; the worker only logs these, the test wants none. */
  readonly refusedFollowUps: { command: string; payload: unknown; decision: Decision }[] = [];
  private nextId = 100_000;
  private commandCount = 0;

  constructor(readonly config: DomainConfig = defaultDomainConfig) {}

  async run(command: string, actor: string, payload: unknown, now: Date): Promise<Decision> {
    const handler = commandsByName.get(command);
    if (!handler) throw new Error(`no handler for ${command}`);
    // The worker's actor check (code 8): internal actions run as system, the others as a registered user.
    if (handler.internal ? actor !== 'system' : !this.isUser(actor))
      return reject('UnknownUser', { param: 'actor' });
    const parsed = handler.payload.safeParse(payload);
    if (!parsed.success) return toRejection(parsed.error);
    const ctx = this.context(actor, now);
    const reader = memoryReader(Object.fromEntries(this.streams));
    const loaded = await handler.load(parsed.data, ctx, reader);
    const decision = handler.decide(parsed.data, loaded, ctx);
    if (!decision.ok || !decision.write || decision.write.events.length === 0) return decision;
    const appended = this.append(decision.write, ctx);
    for (const event of appended)
      for (const followUp of followUpsOf(event)) {
        const outcome = await this.run(followUp.command, 'system', followUp.payload, now);
        if (!outcome.ok) this.refusedFollowUps.push({ ...followUp, decision: outcome });
      }
    return decision;
  }

  /** How many events the whole store holds: a rejected or unchanged command must not change it. */
  eventCount(): number {
    let n = 0;
    for (const events of this.streams.values()) n += events.length;
    return n;
  }

  private isUser(actor: string): boolean {
    const events = (this.streams.get(`account-${actor}`) ?? []) as unknown as AccountEvent[];
    return isRegistered(fold(accountAggregate, events));
  }

  private context(actor: string, now: Date): CommandContext {
    const commandId = `model-${++this.commandCount}`;
    return {
      now,
      actor: actor as CommandContext['actor'],
      commandId,
      // Fresh ids far above the small numbers the test hands out as client-chosen ids.
      newId: (prefix) => testId(prefix, this.nextId++),
      config: this.config,
    };
  }

  private append(
    write: { stream: string; expectedRevision: number; events: readonly DomainEvent[] },
    ctx: CommandContext,
  ): StoredEvent[] {
    const stream = this.streams.get(write.stream) ?? [];
    if (write.expectedRevision !== stream.length - 1)
      throw new Error(
        `${write.stream}: decided at revision ${write.expectedRevision}, stream is at ${stream.length - 1}`,
      );
    const stored = write.events.map(
      (event, i): StoredEvent => ({
        stream: write.stream,
        revision: stream.length + i,
        type: event.type,
        // Through JSON, as a store would keep it: a date object or undefined must not survive.
        data: JSON.parse(JSON.stringify(event.data)),
        metadata: {
          commandId: ctx.commandId,
          correlationId: ctx.commandId,
          actor: String(ctx.actor),
          occurredAt: ctx.now.toISOString(),
          schemaVersion: schemaVersionOf(event.type),
        },
      }),
    );
    this.streams.set(write.stream, [...stream, ...stored]);
    return stored;
  }
}
