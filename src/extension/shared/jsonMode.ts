import vscode = require('vscode');
import { isMaoUri } from './maoFiles';

/** The language *.mao.json files open in, so that opening one (and nothing else) starts this extension. */
export const operationLanguageId = 'mao-json';

/**
 * Once the extension runs, each *.mao.json becomes a `json` document: VS Code's JSON support (schema,
 * formatting, folding, outline) and the person's own `[json]` settings apply to it exactly as to any JSON file.
 * The own language exists only so that `onLanguage:` names these files.
 */
export class OperationsAsJson implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidOpenTextDocument((document) => void asJson(document));
    for (const document of vscode.workspace.textDocuments) void asJson(document);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** The open document as JSON (VS Code reopens it under the new language; the old object is then closed). */
export async function asJson(document: vscode.TextDocument): Promise<vscode.TextDocument> {
  if (document.languageId !== operationLanguageId || !isMaoUri(document.uri)) return document;
  try {
    return await vscode.languages.setTextDocumentLanguage(document, 'json');
  } catch {
    // Switched meanwhile by another caller: the open document of that URI is the current one.
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === document.uri.toString() && !d.isClosed) ?? document;
  }
}

/** Opens a *.mao.json as the extension's commands want it: as JSON, whatever it opened as. */
export async function openOperationDocument(uri: vscode.Uri): Promise<vscode.TextDocument> {
  return asJson(await vscode.workspace.openTextDocument(uri));
}
