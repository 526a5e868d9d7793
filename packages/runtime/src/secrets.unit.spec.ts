import { openSecret, secretsKey } from '@camledger/domain';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { processSecrets } from './secrets.ts';

// The process's secret source follows CAMLEDGER_SECRETS_KEY: what it seals
// opens under that key, and an unset variable is said once, not per command.

const variable = 'CAMLEDGER_SECRETS_KEY';
let saved: string | undefined;

beforeEach(() => {
  saved = process.env[variable];
});

afterEach(() => {
  if (saved === undefined) delete process.env[variable];
  else process.env[variable] = saved;
  vi.restoreAllMocks();
});

describe('the process secret source', () => {
  it('seals under the key CAMLEDGER_SECRETS_KEY names, without a warning', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    process.env[variable] = 'first deployment key';
    const sealed = processSecrets().seal('client-secret');
    expect(openSecret(secretsKey('first deployment key'), sealed)).toBe('client-secret');
    expect(openSecret(secretsKey(undefined), sealed)).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it('follows a change of the variable: the next secret is sealed under the new key', () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    process.env[variable] = 'old key';
    processSecrets();
    process.env[variable] = 'new key';
    const sealed = processSecrets().seal('s');
    expect(openSecret(secretsKey('new key'), sealed)).toBe('s');
    expect(openSecret(secretsKey('old key'), sealed)).toBeUndefined();
  });

  it('keeps one source while the variable is unchanged, and hands out fresh secrets from it', () => {
    process.env[variable] = 'steady key';
    const source = processSecrets();
    expect(processSecrets()).toBe(source);
    expect(source.fresh()).not.toBe(source.fresh());
  });

  it('uses the development key when the variable is unset, and says so once', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    delete process.env[variable];
    const sealed = processSecrets().seal('s');
    processSecrets();
    expect(openSecret(secretsKey(undefined), sealed)).toBe('s');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(variable), 'CamledgerSecretsKey');
  });
});
