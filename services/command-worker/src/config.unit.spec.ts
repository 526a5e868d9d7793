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

describe('NATS_URL', () => {
  it('takes URLs and host:port, alone or listed', () => {
    expect(readConfig({ NATS_URL: 'nats://a:4222, tls://b:4443,c:4222,d' }).natsServers).toEqual([
      'nats://a:4222',
      'tls://b:4443',
      'c:4222',
      'd',
    ]);
  });

  it('refuses a port that is no port, naming the variable (nats.js would fail at start with "Invalid URL")', () => {
    for (const bad of [
      'nats://127.0.0.1:abc',
      'nats://h:70000',
      'h:70000',
      'nats://',
      'nats://a:4222,nats://b:x',
    ])
      expect(() => readConfig({ NATS_URL: bad }), bad).toThrow(/^NATS_URL /);
  });
});

describe('EVENTSTORE_CONNECTION_STRING', () => {
  const esdb = (value: string) =>
    readConfig({ CAMLEDGER_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: value });

  it('takes an esdb:// or esdb+discover:// connection string', () => {
    expect(esdb('esdb://localhost:2113?tls=false').eventStoreConnectionString).toBe(
      'esdb://localhost:2113?tls=false',
    );
    expect(esdb('esdb+discover://a:2113,b:2113').eventStoreConnectionString).toBe(
      'esdb+discover://a:2113,b:2113',
    );
  });

  it('refuses anything else, naming the variable (the client would fail at start with a parser error)', () => {
    for (const bad of ['garbage', 'http://localhost:2113', 'esdb://', 'esdb://host:port'])
      expect(() => esdb(bad), bad).toThrow(/^EVENTSTORE_CONNECTION_STRING /);
  });
});
