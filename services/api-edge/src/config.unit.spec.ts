import { describe, expect, it } from 'vitest';
import { EdgeConfigError, readEdgeConfig } from './config.ts';

describe('readEdgeConfig', () => {
  it('takes 1 replica when CAMLEDGER_REPLICAS is unset or empty, as the worker does', () => {
    expect(readEdgeConfig({}).replicas).toBe(1);
    expect(readEdgeConfig({ CAMLEDGER_REPLICAS: '' }).replicas).toBe(1);
    expect(readEdgeConfig({ CAMLEDGER_REPLICAS: '3' }).replicas).toBe(3);
  });

  it('refuses a replica count JetStream cannot keep, naming the variable', () => {
    for (const bad of ['0', '6', '1.5', 'three', '-1']) {
      expect(() => readEdgeConfig({ CAMLEDGER_REPLICAS: bad })).toThrow(EdgeConfigError);
      expect(() => readEdgeConfig({ CAMLEDGER_REPLICAS: bad })).toThrow(/^CAMLEDGER_REPLICAS: /);
    }
  });

  it('listens on 127.0.0.1:8080 unless CAMLEDGER_EDGE_ADDR says otherwise, and refuses a bad address', () => {
    expect(readEdgeConfig({})).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(readEdgeConfig({ CAMLEDGER_EDGE_ADDR: '[::1]:0' })).toMatchObject({ host: '::1', port: 0 });
    expect(() => readEdgeConfig({ CAMLEDGER_EDGE_ADDR: 'localhost' })).toThrow(/^CAMLEDGER_EDGE_ADDR: /);
    expect(() => readEdgeConfig({ CAMLEDGER_EDGE_ADDR: 'h:70000' })).toThrow(/^CAMLEDGER_EDGE_ADDR: /);
  });
});
