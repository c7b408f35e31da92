import vscode = require('vscode');
import { l10n } from 'vscode';
import { openOperationDocument } from '../shared/jsonMode';
import type { FeatureServices } from './featureServices';

const baseFileName = 'new-operation';

/**
 * New Managed App Operation: an untitled `*.mao.json` (saved where it is named, in the folder chosen in the
 * explorer or the workspace) filled from the schema's `defaultSnippets` body, the one source of the
 * template, as a snippet so Tab walks through the fields.
 */
export async function newOperationCommand(services: FeatureServices, folder?: unknown): Promise<vscode.Uri | undefined> {
  const body = await templateBody(services.context.extensionUri);
  const directory = await targetFolder(folder);
  const uri = await untitledUri(directory);
  const document = await openOperationDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  await editor.insertSnippet(new vscode.SnippetString(toSnippet(body)), new vscode.Position(0, 0));
  services.log.info(`[new] ${uri.path}`);
  return document.uri;
}

async function templateBody(extensionUri: vscode.Uri): Promise<unknown> {
  const schemaUri = vscode.Uri.joinPath(extensionUri, 'schemas', 'managedAppOperation.schema.json');
  const schema = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(schemaUri))) as { defaultSnippets?: Array<{ body?: unknown }> };
  const body = schema.defaultSnippets?.[0]?.body;
  if (body === undefined) throw new Error(l10n.t('The bundled schema has no template (defaultSnippets).'));
  return body;
}

/** JSON text as a snippet: the body's own `${n:…}` placeholders stay, every other `$` is literal. */
export function toSnippet(body: unknown): string {
  return JSON.stringify(body, null, 2).replace(/\$(?!\{\d+:)/g, '\\$') + '\n';
}

async function targetFolder(folder: unknown): Promise<vscode.Uri | undefined> {
  if (folder instanceof vscode.Uri && folder.scheme !== 'untitled') {
    try {
      const stat = await vscode.workspace.fs.stat(folder);
      return stat.type & vscode.FileType.Directory ? folder : vscode.Uri.joinPath(folder, '..');
    } catch {
      // fall through
    }
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme !== 'untitled' && vscode.workspace.getWorkspaceFolder(active)) return vscode.Uri.joinPath(active, '..');
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

async function untitledUri(directory: vscode.Uri | undefined): Promise<vscode.Uri> {
  const openUntitled = new Set(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'untitled').map((d) => d.uri.path));
  for (let n = 1; ; n++) {
    const name = `${baseFileName}${n === 1 ? '' : `-${n}`}.mao.json`;
    const onDisk = directory ? vscode.Uri.joinPath(directory, name) : undefined;
    const untitled = onDisk ? onDisk.with({ scheme: 'untitled' }) : vscode.Uri.from({ scheme: 'untitled', path: name });
    if (openUntitled.has(untitled.path)) continue;
    if (onDisk && (await exists(onDisk))) continue;
    return untitled;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
