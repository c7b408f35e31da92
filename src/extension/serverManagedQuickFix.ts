import vscode = require('vscode');
import { l10n } from 'vscode';
import { commandIds } from './shared/commandIds';
import { loadValidation } from './shared/loadCore';
import { placeholderCode } from './operationDiagnostics';

/**
 * Quick fixes on a `*.mao.json`: remove a server-managed property (`id`, `lastModifiedDateTime`), which the
 * JSON language server flags from the schema's `deprecationMessage`, or all of them at once; and choose a
 * target where `$registrationId` is still the placeholder.
 */
export class ServerManagedQuickFix implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const core = loadValidation();
    const text = document.getText();
    const shift = text.startsWith('\uFEFF') ? 1 : 0;
    const validation = core.validateOperationText(text);
    const serverManaged = validation.problems.filter((p) => p.code === 'serverManaged');
    const actions: vscode.CodeAction[] = [];

    const propertyRange = (pointer: string): vscode.Range | undefined => {
      const property = core.nodeAtPointer(validation.parsed.root, pointer)?.parent;
      return property
        ? new vscode.Range(document.positionAt(property.offset + shift), document.positionAt(property.offset + property.length + shift))
        : undefined;
    };
    const removal = (names: string[], title: string, diagnostics: vscode.Diagnostic[], preferred: boolean): vscode.CodeAction => {
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const change of core.propertyRemovalEdits(text.slice(shift), names)) {
        edit.replace(
          document.uri,
          new vscode.Range(document.positionAt(change.offset + shift), document.positionAt(change.offset + change.length + shift)),
          change.content,
        );
      }
      action.edit = edit;
      action.diagnostics = diagnostics;
      action.isPreferred = preferred;
      return action;
    };

    for (const problem of serverManaged) {
      const where = propertyRange(problem.pointer);
      if (!where || !where.intersection(range)) continue;
      const name = problem.pointer.slice(1);
      const diagnostics = context.diagnostics.filter((d) => d.range.intersection(where));
      actions.push(removal([name], l10n.t('Remove "{0}" (set by the service)', name), diagnostics, true));
    }
    if (serverManaged.length > 1 && actions.length > 0) {
      const names = serverManaged.map((p) => p.pointer.slice(1));
      actions.push(removal(names, l10n.t('Remove all server-managed properties ({0})', names.join(', ')), [], false));
    }
    for (const diagnostic of context.diagnostics.filter((d) => d.code === placeholderCode)) {
      const action = new vscode.CodeAction(l10n.t('Choose Target Registration…'), vscode.CodeActionKind.QuickFix);
      action.command = { command: commandIds.chooseTarget, title: action.title, arguments: [document.uri] };
      action.diagnostics = [diagnostic];
      actions.push(action);
    }
    return actions;
  }
}
