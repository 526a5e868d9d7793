import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

describe('CAMLEDGER_DUPLICATE_WINDOW', () => {
  it('is the 7 days command ids are remembered unless set, and takes an ISO 8601 duration', () => {
    expect(readConfig({}).duplicateWindowMs).toBe(7 * 24 * 60 * 60 * 1000);
    expect(readConfig({ CAMLEDGER_DUPLICATE_WINDOW: 'PT1S' }).duplicateWindowMs).toBe(1_000);
    expect(readConfig({ CAMLEDGER_DUPLICATE_WINDOW: 'PT10M' }).duplicateWindowMs).toBe(600_000);
  });

  it('refuses a value that is not a usable duration, naming the variable', () => {
    for (const bad of ['2m', '120000', 'PT0S', 'P']) {
      expect(() => readConfig({ CAMLEDGER_DUPLICATE_WINDOW: bad })).toThrow(ConfigError);
      expect(() => readConfig({ CAMLEDGER_DUPLICATE_WINDOW: bad })).toThrow(/^CAMLEDGER_DUPLICATE_WINDOW /);
    }
  });
});
