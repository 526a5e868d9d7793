// The reply log's contract: first writer wins, any string is a usable key,
// and entries disappear after the retention.
import { afterAll, describe, expect, it } from 'vitest';
import type { ReplyLog, StoredReply } from '../port.ts';

export interface ReplyLogTarget {
  open(options: { readonly retentionMs: number }): Promise<ReplyLog>;
  dispose?(): Promise<void>;
}

const reply = (n: number): StoredReply => ({
  subject: 'camledger.cmd.item.rename',
  payloadHash: `h${n}`,
  reply: { ok: true, n, name: 'Caméra ✓' },
});

export function replyLogContract(name: string, target: ReplyLogTarget): void {
  describe(`reply log contract: ${name}`, () => {
    const logs: ReplyLog[] = [];
    const open = async (retentionMs = 60_000) => {
      const log = await target.open({ retentionMs });
      logs.push(log);
      return log;
    };
    afterAll(async () => {
      for (const l of logs) await l.close().catch(() => undefined);
      await target.dispose?.();
    });

    it('an unknown key has no reply', async () => {
      const log = await open();
      expect(await log.get(`k${Math.random()}`)).toBeUndefined();
    });

    it('the first reply stored under a key is the one kept and returned', async () => {
      const log = await open();
      const key = `a${Date.now()}${Math.random()}`.replace('.', '');
      expect(await log.putIfAbsent(key, reply(1))).toEqual(reply(1));
      expect(await log.putIfAbsent(key, reply(2))).toEqual(reply(1));
      expect(await log.get(key)).toEqual(reply(1));
    });

    it('of 20 concurrent writers under one key, all get the same reply', async () => {
      const log = await open();
      const key = `c${Date.now()}${Math.random()}`.replace('.', '');
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => log.putIfAbsent(key, reply(i))));
      expect(new Set(answers.map((a) => a.payloadHash)).size).toBe(1);
      expect(await log.get(key)).toEqual(answers[0]);
    });

    it('arbitrary strings are usable keys and never collide', async () => {
      const log = await open();
      const run = `${Date.now()}${Math.random()}`;
      const keys = ['a.b', 'a_b', 'a b', 'a*>', 'é/ü', 'f'.repeat(64), '=abc', `x${'y'.repeat(400)}`, ''].map(
        (k) => `${k}|${run}`,
      );
      await Promise.all(keys.map((k, i) => log.putIfAbsent(k, reply(i))));
      for (const [i, k] of keys.entries()) expect(await log.get(k)).toEqual(reply(i));
    });

    // mayHold lets a new command skip get; a false "absent" would let a retry run again.
    it('mayHold, where the adapter has it, never calls a stored key absent', async () => {
      const log = await open();
      if (!log.mayHold) return;
      const run = `${Date.now()}${Math.random()}`.replace('.', '');
      const stored = [`s1${run}`, `s2 é.${run}`];
      for (const [i, k] of stored.entries()) await log.putIfAbsent(k, reply(i));
      for (const k of stored) expect(log.mayHold(k)).toBe(true);
      // A later writer that finds the key taken knows it too.
      expect(await log.putIfAbsent(stored[0]!, reply(9))).toEqual(reply(0));
      expect(log.mayHold(stored[0]!)).toBe(true);
    });

    it('putBehind, where the adapter has it, stores onto a free key only, without being waited for', async () => {
      const log = await open();
      if (!log.putBehind) return;
      const run = `${Date.now()}${Math.random()}`.replace('.', '');
      log.putBehind(`b1${run}`, reply(1));
      await log.putIfAbsent(`b2${run}`, reply(2));
      log.putBehind(`b2${run}`, reply(3));
      const until = Date.now() + 2_000;
      while ((await log.get(`b1${run}`)) === undefined && Date.now() < until)
        await new Promise((r) => setTimeout(r, 10));
      expect(await log.get(`b1${run}`)).toEqual(reply(1));
      expect(log.mayHold?.(`b1${run}`) ?? true).toBe(true);
      // Give a refused write the time it would take to land: the first reply stays.
      await new Promise((r) => setTimeout(r, 200));
      expect(await log.get(`b2${run}`)).toEqual(reply(2));
    });

    it('a reply is forgotten after the retention', async () => {
      const log = await open(1_000);
      const key = `r${Date.now()}`;
      await log.putIfAbsent(key, reply(1));
      expect(await log.get(key)).toEqual(reply(1));
      await new Promise((r) => setTimeout(r, 2_200));
      expect(await log.get(key)).toBeUndefined();
      expect(await log.putIfAbsent(key, reply(2))).toEqual(reply(2));
    });
  });
}
