import { promises as fs } from 'node:fs';
import vscode = require('vscode');
import { l10n } from 'vscode';
import type { CheckedOutcome } from '../../../core/engine/checkOutcomes';
import { previewScheme } from '../../previewDocuments';
import type { FeatureServices } from '../featureServices';
import { notify } from '../messages';
import { exchangeDocument } from './exchangeDocument';
import { exportRun, type ExportFormat } from './runExport';
import { isRunNode } from './runNodes';
import type { PassOutcome } from './runPass';
import { checkRun, resendRun } from './runRounds';
import type { RunRecord } from './runRecord';
import type { RunsTreeImpl } from './runsTree';

/** The Runs view's commands (context menu, inline, view title). */
export interface RunsCommands {
  checkUnknown(node?: unknown): Promise<readonly CheckedOutcome[] | undefined>;
  resendFailures(node?: unknown): Promise<PassOutcome | undefined>;
  resendUnknown(node?: unknown): Promise<PassOutcome | undefined>;
  /** Writes the run as CSV or NDJSON where the save dialog says; the file written. */
  export(node?: unknown, format?: unknown): Promise<vscode.Uri | undefined>;
  openJournal(node?: unknown): Promise<string | undefined>;
  /** The selected runs, or the one clicked; how many went. */
  delete(node?: unknown, nodes?: unknown): Promise<number>;
  deleteAll(): Promise<number>;
  /** Opens the item's exchange in a read-only document; its text. */
  showItem(node?: unknown): Promise<string | undefined>;
}

export function runsCommands(services: FeatureServices, tree: () => RunsTreeImpl): RunsCommands {
  const { ports } = services;
  const runOf = async (node: unknown): Promise<RunRecord | undefined> => {
    const run = await tree().runOf(node);
    if (!run) notify(ports, 'warning', l10n.t('Choose a run in the Runs view.'));
    return run;
  };
  const show = async (path: string, text: string): Promise<void> => {
    const uri = vscode.Uri.from({ scheme: previewScheme, path });
    services.previews.set(uri, services.log.redact(text));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true, preserveFocus: false });
  };
  return {
    checkUnknown: async (node) => {
      const run = await runOf(node);
      return run && checkRun(services, run);
    },
    resendFailures: async (node) => {
      const run = await runOf(node);
      return run && resendRun(services, run, 'failures');
    },
    resendUnknown: async (node) => {
      const run = await runOf(node);
      return run && resendRun(services, run, 'unknown');
    },
    export: async (node, format) => {
      const run = await runOf(node);
      if (!run) return undefined;
      const chosen: ExportFormat | undefined =
        format === 'csv' || format === 'ndjson'
          ? format
          : (
              await ports.interaction.showQuickPick(
                [
                  { label: 'CSV', description: l10n.t('one row per operation, for a spreadsheet'), format: 'csv' as const },
                  { label: 'NDJSON', description: l10n.t('one JSON object per line, for jq and scripts'), format: 'ndjson' as const },
                ],
                { title: l10n.t('Export the run as') },
              )
            )?.format;
      if (!chosen) return undefined;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `intune-run-${run.id}.${chosen === 'csv' ? 'csv' : 'ndjson'}`;
      const target = await ports.interaction.showSaveDialog({
        title: l10n.t('Export the run'),
        saveLabel: l10n.t('Export'),
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
        filters: chosen === 'csv' ? { CSV: ['csv'] } : { NDJSON: ['ndjson', 'jsonl'] },
      });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, Buffer.from(services.log.redact(exportRun(run, chosen)), 'utf8'));
      services.log.info(`[runs] exported run ${run.id} (${run.items.length} operations, ${chosen}) to ${target.toString(true)}`);
      vscode.window.setStatusBarMessage(l10n.t('$(export) Run exported to {0}', target.fsPath || target.path), 5000);
      return target;
    },
    openJournal: async (node) => {
      const run = await runOf(node);
      if (!run) return undefined;
      let text: string;
      try {
        text = await fs.readFile(services.runs.store.files.journalPath(run.id), 'utf8');
      } catch (error) {
        notify(ports, 'warning', l10n.t('The journal of this run cannot be read: {0}', (error as Error).message));
        return undefined;
      }
      await show(`/runs/${run.id}.journal.ndjson`, text);
      return text;
    },
    delete: async (node, nodes) => {
      const picked = Array.isArray(nodes) && nodes.length ? nodes : [node];
      const ids = [...new Set(picked.filter(isRunNode).map((n) => (n.kind === 'run' ? n.id : n.runId)))];
      return ids.length ? services.runs.store.remove(ids) : 0;
    },
    deleteAll: async () => {
      const runs = await services.runs.store.all();
      if (runs.length === 0) return 0;
      const sure = await ports.interaction.confirm(
        l10n.t('Delete all {0} runs of this workspace, with their journals?', String(runs.length)),
        l10n.t('The operations they created stay in Intune; only the history here goes.'),
        l10n.t('Delete All'),
      );
      return sure ? services.runs.store.remove(runs.map((run) => run.id)) : 0;
    },
    showItem: async (node) => {
      if (!isRunNode(node) || node.kind !== 'runItem') return undefined;
      const run = await services.runs.store.find(node.runId);
      const item = run?.items.find((i) => i.key === node.key);
      if (!run || !item) return undefined;
      const text = exchangeDocument(run, item);
      const index = run.items.indexOf(item) + 1;
      await show(`/runs/${run.id}/${index}-${item.file.replace(/[\\/]/g, '_').replace(/\.mao\.json$/, '')}-${item.registrationId.slice(0, 8)}.http`, text);
      return services.log.redact(text);
    },
  };
}
