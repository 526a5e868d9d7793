import { expect, it } from 'vitest';
import { correlationIdIn } from './answer.ts';

// A query that fails unexpectedly is answered 1500 with the id the caller
// quotes (docs/decisions.md): read again from the body it sent.

it('is the correlation_id, else the command_id, of a valid envelope; none of an unreadable body', () => {
  const body = (envelope: object) => new TextEncoder().encode(JSON.stringify(envelope));
  expect(correlationIdIn(body({ actor: 'a', correlation_id: 'c-1', command_id: 'q-1' }))).toBe('c-1');
  expect(correlationIdIn(body({ actor: 'a', command_id: 'q-1' }))).toBe('q-1');
  expect(correlationIdIn(body({ actor: 'a' }))).toBeUndefined();
  expect(correlationIdIn(body({ actor: 'a', correlation_id: 'x'.repeat(129) }))).toBeUndefined();
  expect(correlationIdIn('{not json')).toBeUndefined();
  expect(correlationIdIn(new Uint8Array([0xff, 0xfe]))).toBeUndefined();
});
