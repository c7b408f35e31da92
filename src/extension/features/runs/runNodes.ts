import vscode = require('vscode');
import { l10n } from 'vscode';
import type { ItemOutcome } from '../../../core/engine/jobTypes';
import { commandIds } from '../../shared/commandIds';
import { describeTarget } from '../../shared/targetSummary';
import { formatDate } from '../registrationSummary';
import { duration, wordsText } from './resultWords';
import { countsOf, definiteFailures, lastEnd, unknownItems, unknownNotFound, type RunCounts, type RunItem, type RunRecord } from './runRecord';

export interface RunNode {
  readonly kind: 'run';
  readonly id: string;
}
export interface RunItemNode {
  readonly kind: 'runItem';
  readonly runId: string;
  readonly key: string;
}
export type RunTreeNode = RunNode | RunItemNode;

export function isRunNode(value: unknown): value is RunTreeNode {
  const kind = (value as { kind?: unknown } | undefined)?.kind;
  return kind === 'run' || kind === 'runItem';
}

const icons: Record<ItemOutcome | 'pending', [string, string | undefined]> = {
  created: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  unknown: ['question', 'editorWarning.foreground'],
  invalid: ['warning', 'testing.iconFailed'],
  skipped: ['circle-slash', undefined],
  cancelled: ['debug-stop', undefined],
  pending: ['loading~spin', undefined],
};

function icon([id, colour]: [string, string | undefined]): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, colour ? new vscode.ThemeColor(colour) : undefined);
}

/** "3 created, 1 failed, 1 unknown": the outcomes a run holds, in a stable order, none left out that is there. */
export function describeCounts(counts: RunCounts): string {
  const parts = [
    l10n.t('{0} created', String(counts.created)),
    ...(counts.failed ? [l10n.t('{0} failed', String(counts.failed))] : []),
    ...(counts.unknown ? [l10n.t('{0} unknown', String(counts.unknown))] : []),
    ...(counts.invalid ? [l10n.t('{0} invalid', String(counts.invalid))] : []),
    ...(counts.skipped ? [l10n.t('{0} not sent', String(counts.skipped))] : []),
    ...(counts.cancelled ? [l10n.t('{0} cancelled', String(counts.cancelled))] : []),
    ...(counts.pending ? [l10n.t('{0} to go', String(counts.pending))] : []),
  ];
  return parts.join(', ');
}

export function runFilesLabel(run: RunRecord): string {
  const [first, ...others] = run.files;
  return others.length ? l10n.t('{0} and {1} more file(s)', first?.label ?? '', String(others.length)) : (first?.label ?? '');
}

export function runTreeItem(run: RunRecord, live: boolean): vscode.TreeItem {
  const counts = countsOf(run);
  const item = new vscode.TreeItem(runFilesLabel(run), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `run:${run.id}`;
  const ended = lastEnd(run);
  const targets = new Set(run.items.map((i) => i.registrationId.toLowerCase())).size;
  item.description = [
    formatDate(new Date(run.startedAt).toISOString()),
    targets === 1 ? l10n.t('1 target') : l10n.t('{0} targets', String(targets)),
    describeCounts(counts),
    ...(ended !== undefined ? [duration(ended - run.startedAt)] : []),
  ].join(' · ');
  const state: ItemOutcome | 'pending' = live
    ? 'pending'
    : counts.unknown
      ? 'unknown'
      : counts.failed || counts.invalid
        ? 'failed'
        : counts.skipped || counts.cancelled
          ? 'skipped'
          : 'created';
  item.iconPath = icon(icons[state]);
  // A run going on offers nothing that would act on it; a finished one names what it holds, for the menus.
  item.contextValue = live
    ? 'liveRun'
    : [
        'run',
        ...(unknownItems(run).length ? ['unknown'] : []),
        ...(definiteFailures(run).length ? ['failures'] : []),
        ...(unknownNotFound(run).length ? ['notFound'] : []),
      ].join(' ');
  item.tooltip = runTooltip(run, counts, ended);
  return item;
}

function runTooltip(run: RunRecord, counts: RunCounts, ended: number | undefined): vscode.MarkdownString {
  const tip = new vscode.MarkdownString();
  const row = (name: string, value: string): void => {
    tip.appendMarkdown(`**${name}:** `).appendText(value).appendMarkdown('  \n');
  };
  row(l10n.t('Started'), formatDate(new Date(run.startedAt).toISOString()));
  if (ended !== undefined) row(l10n.t('Took'), duration(ended - run.startedAt));
  row(l10n.t('Files'), run.files.map((file) => file.label).join(', '));
  row(
    l10n.t('Operations'),
    `${run.items.length}: ${describeCounts(counts)}${counts.reconciled ? l10n.t(' ({0} found after an unknown outcome)', String(counts.reconciled)) : ''}`,
  );
  row(l10n.t('Tenant'), run.tenantId ?? l10n.t('(not known)'));
  row(l10n.t('Cloud'), `${run.cloud.label}${run.cloud.emulator ? l10n.t(', local emulator {0}', run.graphRoot) : ` (${run.graphRoot})`}, ${run.apiVersion}`);
  row(l10n.t('Account'), run.account ?? l10n.t('(not known)'));
  if (run.rounds.length > 1)
    row(l10n.t('Rounds'), run.rounds.map((round) => `${roundName(round.kind)} ${formatDate(new Date(round.at).toISOString())} (${round.items})`).join('; '));
  return tip;
}

function roundName(kind: RunRecord['rounds'][number]['kind']): string {
  switch (kind) {
    case 'send':
      return l10n.t('sent');
    case 'check':
      return l10n.t('checked');
    case 'resendFailures':
      return l10n.t('failures sent again');
    case 'resendUnknown':
      return l10n.t('unknown ones not found sent again');
  }
}

export function runItemTreeItem(run: RunRecord, item: RunItem, node: RunItemNode): vscode.TreeItem {
  const several = run.files.length > 1;
  // Device and app say which one it was; the user and the id are in the tooltip, so the outcome keeps its room.
  const label = [item.target?.device, item.target?.app].filter(Boolean).join(' · ') || item.registrationId;
  const tree = new vscode.TreeItem(several ? `${item.file} → ${label}` : label, vscode.TreeItemCollapsibleState.None);
  tree.id = `runItem:${run.id}:${item.key}`;
  const result = item.result;
  const reconciled = result?.outcome === 'created' && result.reconciliation?.found;
  tree.iconPath = icon(icons[result?.outcome ?? 'pending']);
  if (reconciled) tree.iconPath = icon(['pass-filled', 'testing.iconPassed']);
  tree.description = !result
    ? l10n.t('to go')
    : result.outcome === 'created'
      ? [
          l10n.t('created'),
          ...(reconciled ? [l10n.t('reconciled: found among the operations after an unknown outcome')] : []),
          ...(result.fromJournal ? [l10n.t('by an earlier round')] : []),
        ].join(' · ')
      : `${result.outcome}${result.status !== undefined ? ` (HTTP ${result.status})` : ''}: ${firstLine(result.error?.message ?? result.reason ?? '')}`;
  const tip = new vscode.MarkdownString();
  tip.appendText(describeTarget(item.target ?? { id: item.registrationId }));
  tip.appendCodeblock(result ? wordsText(result) : `${item.file} → ${item.registrationId}`, 'text');
  tree.tooltip = tip;
  tree.contextValue = 'runItem';
  tree.command = { command: commandIds.showRunItem, title: l10n.t('Show Exchange'), arguments: [node] };
  return tree;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
