import * as vscode from 'vscode';
import { commandIds } from './shared/commandIds';
import { currentTarget } from './shared/fileTarget';
import { isMaoDocument } from './shared/maoFiles';
import { targetLabel } from './shared/targetSummary';
import type { TargetStore } from './targetStore';

/** At the top of a `*.mao.json`: "Target: app · device · user" with Send and Change. */
export class TargetCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly targets: TargetStore) {
    this.subscription = targets.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!isMaoDocument(document)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const found = currentTarget(this.targets, document);
    const args = [document.uri];
    if (!found) {
      return [
        new vscode.CodeLens(top, { title: vscode.l10n.t('$(target) Target: none yet — Choose…'), command: commandIds.chooseTarget, arguments: args }),
        new vscode.CodeLens(top, { title: vscode.l10n.t('$(cloud-upload) Send'), command: commandIds.send, arguments: args }),
      ];
    }
    const label = targetLabel(found.target);
    const tooltip = found.source === 'file'
      ? vscode.l10n.t('Registration {0}, from the file\'s "$registrationId"', found.target.id)
      : vscode.l10n.t('Registration {0}, chosen for this file', found.target.id);
    return [
      new vscode.CodeLens(top, { title: vscode.l10n.t('$(target) Target: {0}', label), tooltip, command: commandIds.chooseTarget, arguments: args }),
      new vscode.CodeLens(top, { title: vscode.l10n.t('$(cloud-upload) Send'), tooltip: vscode.l10n.t('Send to Intune'), command: commandIds.send, arguments: args }),
      new vscode.CodeLens(top, { title: vscode.l10n.t('Change'), tooltip: vscode.l10n.t('Choose another target registration'), command: commandIds.chooseTarget, arguments: args }),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
