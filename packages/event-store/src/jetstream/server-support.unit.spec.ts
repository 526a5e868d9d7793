import { describe, expect, it } from 'vitest';
import { assertSafeReplicas, UnsafeNatsServer } from './server-support.ts';

describe('a replicated events stream', () => {
  it('is refused on nats-server 2.11 and older, or when the version is unknown', () => {
    for (const version of ['2.11.17', '2.10.29', '2.9.10', 'v2.9.25', '1.4.0', undefined, 'nonsense'])
      expect(() => assertSafeReplicas(version, 3, 'p_events'), String(version)).toThrow(UnsafeNatsServer);
  });

  it('is accepted from 2.12 on', () => {
    for (const version of ['2.12.0', '2.12.15', 'v2.14.1', '3.0.0'])
      expect(() => assertSafeReplicas(version, 3, 'p_events'), version).not.toThrow();
  });

  it('of one replica is accepted on any server: one server keeps the expected sequences', () => {
    for (const version of ['2.9.10', undefined])
      expect(() => assertSafeReplicas(version, 1, 'p_events')).not.toThrow();
  });
});
