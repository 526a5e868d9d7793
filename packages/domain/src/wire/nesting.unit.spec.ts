import { expect, it } from 'vitest';
import { maxNesting, nestedDeeperThan } from './nesting.ts';

// The worker checks an envelope, the edge the body that becomes its payload,
// one level down: the edge's limit one less, both refuse the same payloads.

const payloadOf = (levels: number) => ({ a: JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`) });

it('names the parameter holding the deep value, in an envelope and in a bare payload alike, at the same depth', () => {
  for (const levels of [29, 30, 31, 32, 5000]) {
    const payload = payloadOf(levels);
    const inEnvelope = nestedDeeperThan({ command_id: 'c', payload }, maxNesting, 'payload');
    const atTheEdge = nestedDeeperThan(payload, maxNesting - 1);
    expect(atTheEdge).toBe(inEnvelope);
    expect(inEnvelope).toBe(levels >= 31 ? 'a' : undefined);
  }
  expect(
    nestedDeeperThan({ command_id: JSON.parse('['.repeat(40) + ']'.repeat(40)) }, maxNesting, 'payload'),
  ).toBe('command_id');
});
