import type { RecordedEvent } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { commandKey } from './keys.ts';
import { originOf } from './origin.ts';

// The identity the follow-up queue rebuilds from an append, so that a later
// run of its follow-ups derives the same command ids and keys as the inline run.

const event = (revision: number, metadata: Record<string, unknown>): RecordedEvent => ({
  id: `e-${revision}`,
  stream: 'foldertree-usr_1',
  revision,
  position: 40,
  type: 'FolderCreated',
  data: {},
  metadata,
});

describe('the origin of an append', () => {
  it('takes the key stamped on the append, even when only its last event carries it', () => {
    const origin = originOf([
      event(3, { actor: 'usr_1', commandId: 'c-1', correlationId: 'corr-9' }),
      event(4, { actor: 'usr_1', commandId: 'c-1', correlationId: 'corr-9', commandKey: 'origin>x@1#0' }),
    ]);
    expect(origin).toEqual({
      actor: 'usr_1',
      commandId: 'c-1',
      correlationId: 'corr-9',
      key: 'origin>x@1#0',
    });
  });

  it("falls back to the key of (actor, command id) when nothing is stamped: a client's command", () => {
    const origin = originOf([
      event(0, { actor: 'usr_1', commandId: 'c-2' }),
      event(1, { actor: 'usr_1', commandId: 'c-2' }),
    ]);
    expect(origin.key).toBe(commandKey('usr_1', 'c-2'));
    // No correlation id recorded: the command id stands for it, as when the command ran.
    expect(origin.correlationId).toBe('c-2');
  });

  it('takes an append without an actor for one of "system"', () => {
    const origin = originOf([event(0, { commandId: 'c-3' })]);
    expect(origin.actor).toBe('system');
    expect(origin.key).toBe(commandKey('system', 'c-3'));
  });

  it("takes the append's trace context, so follow-ups run from the queue carry it on as the inline run does", () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(originOf([event(0, { actor: 'usr_1', commandId: 'c-4', traceparent })]).traceparent).toBe(
      traceparent,
    );
    expect(originOf([event(0, { actor: 'usr_1', commandId: 'c-5' })])).not.toHaveProperty('traceparent');
  });

  it('refuses an empty append', () => {
    expect(() => originOf([])).toThrow(new TypeError('an append has at least one event'));
  });
});
