import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  codesInUpstreamList,
  contractCodes,
  contractPage,
  namedRows,
  upstreamCommandNames,
  upstreamQueryNames,
} from './contract-docs.ts';

// The repository keeps its own copy of the contract (docs/contract/). When an
// upstream copy of the documents is at hand, CAMLEDGER_CONTRACT_DIR names the
// folder holding error-codes.md and DOMAIN.md, and this suite holds the two
// against each other so they cannot drift apart unnoticed. A lone clone has no
// upstream copy: the suite says so and skips.
const upstreamDir = process.env.CAMLEDGER_CONTRACT_DIR;
const usable =
  upstreamDir !== undefined &&
  upstreamDir !== '' &&
  existsSync(join(upstreamDir, 'error-codes.md')) &&
  existsSync(join(upstreamDir, 'DOMAIN.md'));
if (!usable)
  console.log(
    upstreamDir
      ? `Upstream contract comparison skipped: ${upstreamDir} lacks error-codes.md or DOMAIN.md.`
      : 'Upstream contract comparison skipped: set CAMLEDGER_CONTRACT_DIR to the folder of error-codes.md and DOMAIN.md to run it.',
  );
const title = usable
  ? 'docs/contract against the upstream documents'
  : 'docs/contract against the upstream documents (skipped: set CAMLEDGER_CONTRACT_DIR to run)';

const sorted = (names: readonly string[]) => [...names].sort();

describe.runIf(usable)(title, () => {
  const upstream = (name: string) => readFileSync(join(upstreamDir!, name), 'utf8');

  it('has the upstream failure codes and sentences in error-codes.json', () => {
    const listed = codesInUpstreamList(upstream('error-codes.md'));
    expect(listed.length).toBeGreaterThan(50);
    expect(contractCodes()).toEqual(listed);
  });

  it('documents the upstream commands, the auth.* ones included, and no others', () => {
    const names = upstreamCommandNames(upstream('DOMAIN.md'));
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((name) => name.startsWith('auth.'))).not.toHaveLength(0);
    const ours = [...namedRows(contractPage('commands.md')), ...namedRows(contractPage('edge.md'))];
    expect(sorted(ours.map((row) => row.name))).toEqual(sorted(names));
  });

  it('documents the upstream queries and no others', () => {
    const names = upstreamQueryNames(upstream('DOMAIN.md'));
    expect(names.length).toBeGreaterThan(10);
    expect(sorted(namedRows(contractPage('queries.md')).map((row) => row.name))).toEqual(sorted(names));
  });
});
