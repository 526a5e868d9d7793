import { param } from '../../validation/index.ts';

// Checked on the name as given, not lower-cased: lower-casing some non-ASCII
// letters yields ASCII ones ("İ" becomes "i" and a combining dot), which would
// let look-alike names in.
const usernameCharacters = /^[A-Za-z0-9_.-]+$/;

/**
 * A username: 3..32 characters of `[a-z0-9_.-]`, upper case accepted (it is
 * unique case-insensitively, so "Bob" and "bob" are one name) and stored as
 * given, trimmed.
 */
export const username = () =>
  param.name(3, 32).transform((value, ctx): string => {
    if (usernameCharacters.test(value)) return value;
    return param.fail(ctx, value, {
      failure: 'MissingParameter',
      reason: 'only letters a-z, digits, "_", "." and "-"',
    });
  });

export const displayName = () => param.text(0, 64);
