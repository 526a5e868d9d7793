import { describe, expect, it } from 'vitest';
import { serviceNameFor } from './service.ts';

describe('the service name', () => {
  it('carries the prefix, so each deployment answers $SRV.INFO under its own name', () => {
    expect(serviceNameFor('camledger')).toBe('camledger-camledger-commands');
    expect(serviceNameFor('prod_eu-1')).toBe('camledger-prod_eu-1-commands');
  });
  it('turns what a NATS service name may not hold into _', () => {
    expect(serviceNameFor('a.b c*>')).toBe('camledger-a_b_c__-commands');
  });
});
