import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Readers for the contract as the repository keeps it (docs/contract/) and as
// the upstream documents write it. Both sides are parsed from their tables, so
// a name can only be compared, never copied into a test.

export interface CodeEntry {
  readonly code: number;
  readonly message: string;
}

const contractDir = fileURLToPath(new URL('../../docs/contract/', import.meta.url));

export function contractPage(name: string): string {
  return readFileSync(join(contractDir, name), 'utf8');
}

/** docs/contract/error-codes.json: the failure codes as data. */
export function contractCodes(): CodeEntry[] {
  return JSON.parse(contractPage('error-codes.json')) as CodeEntry[];
}

/** Table rows `| <code> | <message> |` of docs/contract/error-codes.md. */
export function codesInPage(page: string): CodeEntry[] {
  const entries: CodeEntry[] = [];
  for (const line of page.split(/\r?\n/)) {
    const row = /^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (row) entries.push({ code: Number(row[1]), message: row[2]! });
  }
  return entries;
}

/** Bullet lines `* <code> <message>`, the upstream error-codes.md's form. */
export function codesInUpstreamList(document: string): CodeEntry[] {
  const entries: CodeEntry[] = [];
  for (const line of document.split(/\r?\n/)) {
    const entry = /^\*\s+(\d+)\s+(.+?)\s*$/.exec(line);
    if (entry) entries.push({ code: Number(entry[1]), message: entry[2]! });
  }
  return entries;
}

export interface NamedRow {
  readonly name: string;
  /** The first cell says "(internal…)" after the name. */
  readonly internal: boolean;
}

/**
 * Rows of docs/contract tables whose first cell is a backticked
 * `<object>.<action>`, optionally followed by a note such as "(internal)".
 */
export function namedRows(page: string): NamedRow[] {
  const rows: NamedRow[] = [];
  for (const line of page.split(/\r?\n/)) {
    const row = /^\|\s*`([a-z_]+\.[a-z_]+)`([^|]*)\|/.exec(line);
    if (row) rows.push({ name: row[1]!, internal: /\(internal/.test(row[2]!) });
  }
  return rows;
}

/** The text of one numbered section (`## <n>. …`) of the upstream DOMAIN.md. */
function upstreamSection(domain: string, number: number): string {
  const start = domain.search(new RegExp(`^## ${number}\\.`, 'm'));
  if (start < 0) throw new Error(`DOMAIN.md has no section ${number}`);
  const rest = domain.slice(start + 1);
  const end = rest.search(/^## \d+\./m);
  return end < 0 ? rest : rest.slice(0, end);
}

function firstCells(section: string): string[] {
  const cells: string[] = [];
  for (const line of section.split(/\r?\n/)) {
    const row = /^\s*\|([^|]*)\|/.exec(line);
    if (row && !/^\s*-+\s*$/.test(row[1]!)) cells.push(row[1]!.trim());
  }
  return cells;
}

/**
 * Command names of the upstream DOMAIN.md: §3 writes one table per object
 * (`### item`) whose first cell is the action, sometimes two joined by "/"
 * and followed by a note in parentheses; §6 lists the `auth.*` internal
 * actions by their full names.
 */
export function upstreamCommandNames(domain: string): string[] {
  const names: string[] = [];
  let object = '';
  for (const line of upstreamSection(domain, 3).split(/\r?\n/)) {
    const heading = /^###\s+([a-z_]+)/.exec(line);
    if (heading) object = heading[1]!;
    const row = /^\|([^|]*)\|/.exec(line);
    if (!row || !object) continue;
    const cell = row[1]!.replace(/\(.*?\)/g, '').trim();
    if (cell === 'action' || /^-+$/.test(cell)) continue;
    for (const action of cell.split('/')) names.push(`${object}.${action.trim()}`);
  }
  for (const cell of firstCells(upstreamSection(domain, 6)))
    if (/^auth\.[a-z_]+$/.test(cell)) names.push(cell);
  return names;
}

/** Query names of the upstream DOMAIN.md §4 table. */
export function upstreamQueryNames(domain: string): string[] {
  return firstCells(upstreamSection(domain, 4)).filter((cell) => /^[a-z_]+\.[a-z_]+$/.test(cell));
}
