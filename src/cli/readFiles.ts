import { readFile, stat } from 'node:fs/promises';
import { maxOperationFileBytes } from '../core/validateOperation';

export type FileText = { readonly file: string; readonly text: string } | { readonly file: string; readonly error: string };

export async function readOperationFile(file: string): Promise<FileText> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { file, error: 'not a file' };
    if (info.size > maxOperationFileBytes) {
      return { file, error: `larger than ${maxOperationFileBytes / 1024 / 1024} MB, more than Graph accepts in a request body` };
    }
    const bytes = await readFile(file);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { file, text };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') return { file, error: 'file not found' };
    if (error instanceof TypeError) return { file, error: 'not valid UTF-8 text' };
    return { file, error: (error as Error).message };
  }
}
