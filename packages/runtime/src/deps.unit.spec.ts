import { memoryEventStore, memoryReplyLog } from '@camledger/event-store';
import { describe, expect, it } from 'vitest';
import { createRuntimeDeps, derivedIds } from './deps.ts';

describe('the runtime dependencies', () => {
  it('name what one attempt creates the same way on every attempt, each id distinct', () => {
    const first = derivedIds('key', 'usr_A');
    const retry = derivedIds('key', 'usr_A');
    const ids = [first('fld'), first('fld'), first('itm')];
    expect([retry('fld'), retry('fld'), retry('itm')]).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    expect(derivedIds('other key', 'usr_A')('fld')).not.toBe(ids[0]);
  });

  it('give a runtime built without a log a quiet one, so reporting never throws', () => {
    const deps = createRuntimeDeps({ store: memoryEventStore(), replies: memoryReplyLog() });
    expect(() => deps.log.warn({ stream: 's' }, 'a follow-up was rejected')).not.toThrow();
    expect(() => deps.log.error({}, 'a failure')).not.toThrow();
  });
});
