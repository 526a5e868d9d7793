import type { ReplyLog, StoredReply } from '../port.ts';

export interface MemoryReplyLogOptions {
  /** How long a reply is kept; a retry after that is treated as a new command. Default 24 h. */
  readonly retentionMs?: number;
  /** Injected for tests; the memory log is infrastructure, so the real clock is the default. */
  readonly clock?: () => number;
}

export function memoryReplyLog(options: MemoryReplyLogOptions = {}): ReplyLog {
  const retention = options.retentionMs ?? 24 * 60 * 60 * 1000;
  const clock = options.clock ?? Date.now;
  const entries = new Map<string, { reply: StoredReply; storedAt: number }>();
  const live = (key: string): StoredReply | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (clock() - entry.storedAt >= retention) {
      entries.delete(key);
      return undefined;
    }
    return structuredClone(entry.reply);
  };
  return {
    async get(key) {
      return live(key);
    },
    async putIfAbsent(key, reply) {
      const existing = live(key);
      if (existing) return existing;
      entries.set(key, { reply: structuredClone(reply), storedAt: clock() });
      return structuredClone(reply);
    },
    // One process, one map: absence is exact.
    mayHold: (key) => live(key) !== undefined,
    async close() {},
  };
}
