import { readFile } from 'node:fs/promises';
import { normalize } from 'node:path';
import { isGuid } from '../core/validation';
import { UsageError } from './options';
import { stdinName } from './readFiles';

/** The registrations named with --registration and --registrations, each once, in the order first named. */
export async function readTargets(
  flagged: readonly string[],
  listFile: string | undefined,
  stdin: NodeJS.ReadableStream | undefined,
  note: (text: string) => void,
): Promise<string[]> {
  const named: string[] = [];
  for (const value of flagged) {
    if (!isGuid(value)) throw new UsageError(`--registration must be a GUID, not ${JSON.stringify(String(value).slice(0, 80))}`);
    named.push(value);
  }
  if (listFile !== undefined) named.push(...parseRegistrationList(await readList(listFile, stdin), listFile));
  const seen = new Set<string>();
  const targets: string[] = [];
  for (const id of named) {
    const key = id.toLowerCase();
    if (seen.has(key)) {
      note(`registration ${key} is named more than once: each file is sent to it once`);
      continue;
    }
    seen.add(key);
    targets.push(key);
  }
  return targets;
}

/**
 * One registration id a line (blank lines and # comments ignored), or the NDJSON `intune-mao registrations
 * --json` prints (an object with an "id" a line).
 */
export function parseRegistrationList(text: string, source: string): string[] {
  const ids: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${source === stdinName ? 'standard input' : source}, line ${index + 1}`;
    let id: unknown = line.replace(/\s+#.*$/, '');
    if (line.startsWith('{')) {
      try {
        id = (JSON.parse(line) as { id?: unknown }).id;
      } catch {
        throw new UsageError(`${where}: not a JSON object`);
      }
    }
    if (typeof id !== 'string' || !isGuid(id)) throw new UsageError(`${where}: ${JSON.stringify(String(id).slice(0, 80))} is not a registration id (a GUID)`);
    ids.push(id);
  });
  return ids;
}

async function readList(file: string, stdin: NodeJS.ReadableStream | undefined): Promise<string> {
  if (file !== stdinName) {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--registrations ${file}: ${(error as { code?: string }).code === 'ENOENT' ? 'file not found' : (error as Error).message}`);
    }
  }
  if (!stdin) throw new UsageError('--registrations -: no standard input');
  let text = '';
  for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}

/** Each file once (`./a.json` and `a.json` are the same file), with a note for a file named again. */
export function distinctFiles(files: readonly string[], note: (text: string) => void): string[] {
  const seen = new Set<string>();
  const distinct: string[] = [];
  for (const file of files) {
    // Standard input named twice is refused when it is read.
    const key = file === stdinName ? `${stdinName}${distinct.length}` : normalize(file);
    if (seen.has(key)) {
      note(`${file} is named more than once: it is sent once`);
      continue;
    }
    seen.add(key);
    distinct.push(file);
  }
  return distinct;
}
