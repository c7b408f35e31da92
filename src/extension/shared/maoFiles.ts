import vscode = require('vscode');

/** Same rule as the manifest's when-clauses (`resourceFilename =~ /\.mao\.json$/`) and the schema binding (`*.mao.json`). */
export const maoFilePattern = /\.mao\.json$/;

export function isMaoUri(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return !!uri && maoFilePattern.test(baseName(uri));
}

export function isMaoDocument(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
  return !!document && isMaoUri(document.uri);
}

export function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** How a file is named to a person: its path in the workspace, or its name. */
export function fileLabel(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return baseName(uri);
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}
