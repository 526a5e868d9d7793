import { readFile } from 'node:fs/promises';
import { UsageError } from './output.ts';

// A payload from the argument itself, from stdin (`-`) or from a file
// (`@path`): a 10,000-frame item.record is larger than a command line may be.

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** The payload's text, from where `argument` says. */
export async function payloadText(
  argument: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  if (argument === '-') return readAll(stdin);
  if (argument.startsWith('@')) {
    const path = argument.slice(1);
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read the payload file ${path}: ${(error as Error).message}`);
    }
  }
  return argument;
}
