import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

describe('CAMLEDGER_DUPLICATE_WINDOW', () => {
  it('is the 7 days command ids are remembered unless set, and takes an ISO 8601 duration', () => {
    expect(readConfig({}).duplicateWindowMs).toBe(7 * 24 * 60 * 60 * 1000);
    expect(readConfig({ CAMLEDGER_DUPLICATE_WINDOW: 'PT1S' }).duplicateWindowMs).toBe(1_000);
    expect(readConfig({ CAMLEDGER_DUPLICATE_WINDOW: 'PT10M' }).duplicateWindowMs).toBe(600_000);
  });

  it('refuses a value that is not a usable duration, naming the variable', () => {
    // P999999D is past the server's int64 of nanoseconds; a year is the most taken.
    expect(readConfig({ CAMLEDGER_DUPLICATE_WINDOW: 'P365D' }).duplicateWindowMs).toBe(365 * 86_400_000);
    for (const bad of ['2m', '120000', 'PT0S', 'P', 'P366D', 'P999999D']) {
      expect(() => readConfig({ CAMLEDGER_DUPLICATE_WINDOW: bad })).toThrow(ConfigError);
      expect(() => readConfig({ CAMLEDGER_DUPLICATE_WINDOW: bad })).toThrow(/^CAMLEDGER_DUPLICATE_WINDOW /);
    }
  });
});

describe('CAMLEDGER_TRASH_RETENTION', () => {
  it('takes up to 100 years, and refuses more, naming the variable (a trashed item would have no end date)', () => {
    expect(readConfig({ CAMLEDGER_TRASH_RETENTION: 'P36500D' }).trashRetentionMs).toBe(36_500 * 86_400_000);
    for (const bad of ['P36501D', 'P99999999D', 'PT0S']) {
      expect(() => readConfig({ CAMLEDGER_TRASH_RETENTION: bad })).toThrow(/^CAMLEDGER_TRASH_RETENTION /);
    }
  });
});
