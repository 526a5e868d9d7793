import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

// ISO 8601 counts in weeks too (P2W); every variable read as a duration takes them.

const day = 24 * 60 * 60 * 1000;

describe('durations in weeks', () => {
  it('CAMLEDGER_TRASH_RETENTION=P2W is two weeks', () => {
    expect(readConfig({ CAMLEDGER_TRASH_RETENTION: 'P2W' }).trashRetentionMs).toBe(14 * day);
  });

  it('weeks combine with days and times', () => {
    expect(readConfig({ CAMLEDGER_TRASH_RETENTION: 'P1W2DT12H' }).trashRetentionMs).toBe(9.5 * day);
    expect(readConfig({ CAMLEDGER_DUPLICATE_WINDOW: 'P1W' }).duplicateWindowMs).toBe(7 * day);
  });

  it('still refuses what is not a duration, naming the variable', () => {
    for (const bad of ['P2', 'PW', '2W', 'P1.5W', 'P0W'])
      expect(() => readConfig({ CAMLEDGER_TRASH_RETENTION: bad })).toThrow(ConfigError);
  });
});
