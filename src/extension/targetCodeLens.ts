import vscode = require('vscode');
import { l10n } from 'vscode';
import { commandIds } from './shared/commandIds';
import { fileTargets, type FileTargets } from './shared/fileTarget';
import { isMaoDocument } from './shared/maoFiles';
import { shortTargetName, targetLabel, type TargetSummary } from './shared/targetSummary';
import type { TargetStore } from './targetStore';

/**
 * At the top of a `*.mao.json`: "Target: app · device · user" (or "Targets: 3 registrations (…)") with Send and
 * Change. Names come from the registrations seen earlier (TargetStore's names): nothing is listed from here.
 */
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
    const found = fileTargets(this.targets, document);
    const args = [document.uri];
    if (!found) {
      return [
        new vscode.CodeLens(top, { title: l10n.t('$(target) Target: none yet — Choose…'), command: commandIds.chooseTarget, arguments: args }),
        new vscode.CodeLens(top, { title: l10n.t('$(cloud-upload) Send'), command: commandIds.send, arguments: args }),
      ];
    }
    return [
      new vscode.CodeLens(top, { title: this.title(found), tooltip: this.tooltip(found), command: commandIds.chooseTarget, arguments: args }),
      new vscode.CodeLens(top, { title: l10n.t('$(cloud-upload) Send'), tooltip: l10n.t('Send to Intune'), command: commandIds.send, arguments: args }),
      new vscode.CodeLens(top, {
        title: l10n.t('Change'),
        tooltip: l10n.t('Choose another target registration'),
        command: commandIds.chooseTarget,
        arguments: args,
      }),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private title(found: FileTargets): string {
    const [first, second, ...rest] = found.targets;
    if (!second) {
      return this.targets.names.isKnown(first!.id) || targetLabel(first!) !== first!.id
        ? l10n.t('$(target) Target: {0}', targetLabel(first!))
        : l10n.t('$(target) Target: {0} (name not seen yet: open the Intune side bar or Change)', first!.id);
    }
    const names = [first!, second].map(shortTargetName).join(', ') + (rest.length ? ', …' : '');
    return l10n.t('$(target) Targets: {0} registrations ({1})', String(found.targets.length), names);
  }

  private tooltip(found: FileTargets): string {
    const from =
      found.source === 'file-list'
        ? l10n.t('from the file\'s "$registrationIds"')
        : found.source === 'file'
          ? l10n.t('from the file\'s "$registrationId"')
          : l10n.t('chosen for this file');
    const describe = (target: TargetSummary): string => (targetLabel(target) === target.id ? target.id : `${targetLabel(target)} (${target.id})`);
    if (found.targets.length === 1) {
      return found.source === 'file'
        ? l10n.t('Registration {0}, from the file\'s "$registrationId"', found.targets[0]!.id)
        : found.source === 'remembered'
          ? l10n.t('Registration {0}, chosen for this file', found.targets[0]!.id)
          : `${describe(found.targets[0]!)}, ${from}`;
    }
    return [l10n.t('{0} registrations, {1}:', String(found.targets.length), from), ...found.targets.map((t) => `• ${describe(t)}`)].join('\n');
  }
}
