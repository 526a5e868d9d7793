import { describe, expect, it } from 'vitest';
import { envelopeSchema } from './envelope.ts';

const withCommandId = (command_id: string) => ({ command_id, actor: 'system', payload: {} });

// zod 4 counts a string's length in code points, as the payload's own strings
// are counted; these pin that down for the envelope (a UTF-16 count would take
// 100 emoji for 200 characters).
describe('the command envelope', () => {
  it('takes a command_id of 1..128 characters, counted as characters, not UTF-16 units', () => {
    for (const id of ['a', 'x'.repeat(128), '📷'.repeat(128), 'é'.repeat(128)])
      expect(envelopeSchema.safeParse(withCommandId(id)).success, id).toBe(true);
  });

  it('refuses an empty one or one of 129 characters, naming the field', () => {
    for (const id of ['', 'x'.repeat(129), '📷'.repeat(129)]) {
      const parsed = envelopeSchema.safeParse(withCommandId(id));
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['command_id']);
    }
  });

  it('counts actor and correlation_id the same way', () => {
    const ok = { command_id: 'c', actor: '📷'.repeat(128), correlation_id: '📷'.repeat(128), payload: {} };
    expect(envelopeSchema.safeParse(ok).success).toBe(true);
    expect(envelopeSchema.safeParse({ ...ok, correlation_id: '📷'.repeat(129) }).success).toBe(false);
  });
});
