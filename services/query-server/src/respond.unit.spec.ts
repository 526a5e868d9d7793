import type { Msg } from 'nats';
import { expect, it } from 'vitest';
import { respondSafely } from './respond.ts';

// nats.js throws from respond() on a closing connection or a reply over
// max_payload; thrown from a handler's promise that would end the process.

it('logs a reply that cannot be sent instead of throwing, and one with nowhere to go', () => {
  const lines: string[] = [];
  const log = {
    warn: (_: object, m: string) => lines.push(`warn ${m}`),
    error: (_: object, m: string) => lines.push(`error ${m}`),
  };
  const msg = { subject: 's', reply: '_INBOX.1' } as Msg;
  expect(() =>
    respondSafely(msg, log, () => {
      throw new Error('connection draining');
    }),
  ).not.toThrow();
  respondSafely({ subject: 's' } as Msg, log, () => lines.push('sent'));
  let sent = false;
  respondSafely(msg, log, () => {
    sent = true;
  });
  expect(sent).toBe(true);
  expect(lines).toEqual([
    'error could not send the reply',
    'warn request without a reply subject: nobody to answer',
  ]);
});
