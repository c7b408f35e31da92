// For the tests' scan for secrets: what the extension keeps on disk and in VS Code's state, as text.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';

/** The texts of every file below the extension's storage folders, and of its workspace and global states. */
export async function everythingStored(context: vscode.ExtensionContext): Promise<Array<{ where: string; text: string }>> {
  const folders = [context.storageUri, context.globalStorageUri].flatMap((uri) => (uri ? [uri.fsPath] : []));
  const files = (await Promise.all(folders.map(filesBelow))).flat();
  const texts = await Promise.all(files.map(async (file) => ({ where: file, text: await fs.readFile(file, 'utf8') })));
  const states = (
    [
      ['workspaceState', context.workspaceState],
      ['globalState', context.globalState],
    ] as const
  ).flatMap(([name, state]) => state.keys().map((key) => ({ where: `${name} ${key}`, text: JSON.stringify(state.get(key)) ?? '' })));
  return [...texts, ...states];
}

async function filesBelow(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  const found = await Promise.all(
    entries.map((entry) => {
      const file = path.join(folder, entry.name);
      return entry.isDirectory() ? filesBelow(file) : Promise.resolve(entry.isFile() ? [file] : []);
    }),
  );
  return found.flat();
}
