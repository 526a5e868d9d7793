import { commandsByName, type DomainConfig, defaultDomainConfig, type Reply } from '@camledger/domain';
import { generatedTestId } from '@camledger/domain/testing';
import { memoryEventStore, memoryReplyLog } from '@camledger/event-store';
import { createRuntimeDeps, execute, type RuntimeDeps, routeOf } from '@camledger/runtime';

/**
 * The system under test of the model-based test: the real command path
 * (`execute` from @camledger/runtime: actor check, reply log, payload
 * validation, load, decide, append at the expected revision, follow-ups as
 * `system` before the reply) over the memory store. Only the transport is
 * left out. Commands run one at a time, at the instant the model says.
 */
export class MiniWorker {
  readonly store = memoryEventStore();
  /** Every follow-up that was refused; the runtime logs these at error, the test wants none. */
  readonly refusedFollowUps: { fields: object; message: string }[] = [];
  private readonly deps: RuntimeDeps;
  private now = new Date(0);
  private nextId = 100_000;
  private commandCount = 0;

  constructor(readonly config: DomainConfig = defaultDomainConfig) {
    this.deps = createRuntimeDeps({
      store: this.store,
      replies: memoryReplyLog(),
      domain: config,
      clock: () => this.now,
      log: {
        error: (fields, message) => this.refusedFollowUps.push({ fields, message }),
        warn: () => {},
      },
      // Fresh ids far above the small numbers the test hands out as
      // client-chosen ids, generated as the worker generates them (the mark
      // and the creator's tag: how another user's new folder is found).
      newIds: (_key, creator) => (prefix) => generatedTestId(prefix, this.nextId++, creator),
    });
  }

  async run(command: string, actor: string, payload: unknown, now: Date): Promise<Reply> {
    this.now = now;
    // Asked on the command's own channel, as the typed client sends it; the actor check then answers 8.
    const route = routeOf(commandsByName.get(command)?.internal ? 'internal' : 'cmd', command);
    if (!route) throw new Error(`no route for ${command}`);
    return execute(this.deps, route, {
      command_id: `model-${++this.commandCount}`,
      actor,
      payload: payload as Record<string, unknown>,
    });
  }

  /** How many events the whole store holds: a rejected or unchanged command must not change it. */
  async eventCount(): Promise<number> {
    let n = 0;
    for await (const _ of this.store.readAll()) n++;
    return n;
  }
}
