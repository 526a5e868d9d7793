import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { slices } from '@camledger/domain';
import { describe, expect, it } from 'vitest';

// Auditors read docs/events.md to know what history can hold: an event type
// the domain emits but the page does not name is a gap in the contract.
const page = readFileSync(fileURLToPath(new URL('../../docs/events.md', import.meta.url)), 'utf8');

describe('docs/events.md', () => {
  const emitted = slices.flatMap((slice) => Object.keys(slice.eventVersions ?? {}));

  it('has a schema version for the events of every slice that has an aggregate', () => {
    for (const slice of slices)
      if (slice.aggregates.length > 0) expect(Object.keys(slice.eventVersions ?? {})).not.toHaveLength(0);
  });

  it.each(emitted)('names %s', (type) => {
    expect(page).toMatch(new RegExp(`\`${type}\``));
  });

  it('names the stream category of every aggregate', () => {
    for (const slice of slices)
      for (const aggregate of slice.aggregates) expect(page).toContain(`\`${aggregate.category}-`);
  });
});
