import { describe, expect, it } from 'vitest';
import { natsConnectionOptions, reconnectOptions } from './nats-options.ts';

describe('credentials in NATS_URL', () => {
  it('are lifted out of every server URL into user and pass', () => {
    expect(
      natsConnectionOptions(['nats://worker:s%40cret@nats-1:4222', 'nats://worker:s%40cret@nats-2:4222']),
    ).toEqual({
      servers: ['nats://nats-1:4222', 'nats://nats-2:4222'],
      user: 'worker',
      pass: 's@cret',
    });
  });
  it('leave plain URLs untouched', () => {
    expect(natsConnectionOptions(['nats://127.0.0.1:4222'])).toEqual({ servers: ['nats://127.0.0.1:4222'] });
  });
});

describe('reconnect settings from the environment', () => {
  it('default to reconnecting forever', () => {
    expect(reconnectOptions({})).toEqual({ maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  });
  it('take whole numbers', () => {
    expect(
      reconnectOptions({ CAMLEDGER_NATS_MAX_RECONNECTS: '2', CAMLEDGER_NATS_RECONNECT_WAIT_MS: '100' }),
    ).toEqual({ maxReconnectAttempts: 2, reconnectTimeWait: 100 });
  });
  it('name the variable when a value is unusable', () => {
    expect(() => reconnectOptions({ CAMLEDGER_NATS_MAX_RECONNECTS: 'twice' })).toThrow(
      /CAMLEDGER_NATS_MAX_RECONNECTS/,
    );
    expect(() => reconnectOptions({ CAMLEDGER_NATS_RECONNECT_WAIT_MS: '-5' })).toThrow(
      /CAMLEDGER_NATS_RECONNECT_WAIT_MS/,
    );
  });
});
