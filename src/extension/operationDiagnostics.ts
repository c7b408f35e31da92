import vscode = require('vscode');
import { l10n } from 'vscode';
import type { Problem } from '../core/validation/index';
import { placeholderRegistrationId, registrationIdProperty } from './shared/fileTarget';
import { loadValidation } from './shared/loadCore';
import { isMaoDocument } from './shared/maoFiles';

/**
 * Diagnostics the schema cannot express. VS Code's JSON language server already reports, from
 * `contributes.jsonValidation` and the bundled schema: syntax (comments and trailing commas are errors in
 * the `json` language), duplicate keys, unknown properties, types, patterns, `@odata.type`, and the
 * server-managed `id` / `lastModifiedDateTime` (the schema's `deprecationMessage`: a struck-through warning,
 * with our quick fix to remove them). Repeating those would show every finding twice. This collection
 * carries what only the core's validation knows (e.g. a file too large for Graph, anything strict JSON
 * parsing finds that the JSON server lets through) and one hint of our own: a `$registrationId` that is
 * still the template's placeholder.
 */
export const diagnosticSource = 'Intune';
export const placeholderCode = 'target.placeholder';

function coveredByJsonServer(problem: Problem): boolean {
  return (
    problem.code === 'json.duplicateKey' ||
    problem.code === 'serverManaged' ||
    problem.code.startsWith('schema.') ||
    // jsonc-parser reports these syntax errors exactly as the JSON server (same parser) does.
    (problem.code === 'json.syntax' && !problem.message.startsWith('Invalid JSON:'))
  );
}

export class OperationDiagnostics implements vscode.Disposable {
  private collectionOnceUsed: vscode.DiagnosticCollection | undefined;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document, 250)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
    ];
    // Documents open before activation: checked right after, not during, activation.
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  private collection(): vscode.DiagnosticCollection {
    return (this.collectionOnceUsed ??= vscode.languages.createDiagnosticCollection('intune-mao'));
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!isMaoDocument(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!document.isClosed) this.collection().set(document.uri, diagnosticsFor(document));
      }, delayMs),
    );
  }

  private forget(uri: vscode.Uri): void {
    clearTimeout(this.timers.get(uri.toString()));
    this.timers.delete(uri.toString());
    this.collectionOnceUsed?.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collectionOnceUsed?.dispose();
  }
}

export function diagnosticsFor(document: vscode.TextDocument): vscode.Diagnostic[] {
  const core = loadValidation();
  const text = document.getText();
  const shift = text.startsWith('\uFEFF') ? 1 : 0;
  const validation = core.validateOperationText(text);
  const range = (offset: number, length: number): vscode.Range =>
    new vscode.Range(document.positionAt(offset + shift), document.positionAt(offset + shift + length));
  const diagnostics = validation.problems
    .filter((p) => !coveredByJsonServer(p))
    .map((problem) => {
      const diagnostic = new vscode.Diagnostic(
        range(problem.offset, problem.length),
        problem.message,
        problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = diagnosticSource;
      diagnostic.code = problem.code;
      return diagnostic;
    });
  if (registrationIdProperty(validation.parsed) === placeholderRegistrationId) {
    const node = core.nodeAtPointer(validation.parsed.root, '/$registrationId');
    if (node) {
      const diagnostic = new vscode.Diagnostic(
        range(node.offset, node.length),
        l10n.t('"$registrationId" is still the template\'s placeholder: Send will ask for the target registration. Choose one, or remove the property.'),
        vscode.DiagnosticSeverity.Information,
      );
      diagnostic.source = diagnosticSource;
      diagnostic.code = placeholderCode;
      diagnostics.push(diagnostic);
    }
  }
  return diagnostics;
}
