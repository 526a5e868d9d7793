import { play, type Streams } from '@camledger/testing';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { failures } from '../codes/index.ts';
import { alice, bob, carol, dave, usernames } from '../testing/fixtures/network.ts';

const people = [alice, bob, carol, dave] as const;
const names: Record<string, string> = { [alice]: 'alice', [bob]: 'bob', [carol]: 'carol', [dave]: 'dave' };

describe('private messages (property)', () => {
  it('only the two participants reply to a private thread; anyone else gets 6101', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...people),
        fc.constantFrom(...people),
        fc.array(fc.constantFrom(...people), { maxLength: 8 }),
        async (sender, recipient, repliers) => {
          const streams: Streams = { ...usernames };
          const sent = await play(
            streams,
            'message.send',
            { to_username: names[recipient], subject: 'Hi', body: 'Hello' },
            sender,
            0,
          );
          if (sender === recipient) {
            expect(sent).toMatchObject({ ok: false, code: failures.MessageToSelf.code });
            return;
          }
          if (!sent.ok) throw new Error(`send refused: ${sent.code}`);
          const threadId = sent.result.thread_id as string;
          for (const [step, replier] of repliers.entries()) {
            const replied = await play(
              streams,
              'message.reply',
              { thread_id: threadId, body: 'Re' },
              replier,
              step + 1,
            );
            if (replier === sender || replier === recipient) expect(replied.ok).toBe(true);
            else
              expect(replied).toMatchObject({ ok: false, code: failures.PrivateThreadReplyForbidden.code });
          }
          const accepted = repliers.filter((r) => r === sender || r === recipient).length;
          expect(streams[`privatethread-${threadId}`]).toHaveLength(1 + accepted);
        },
      ),
      { numRuns: 60 },
    );
  });
});
