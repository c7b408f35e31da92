import vscode = require('vscode');
import { l10n } from 'vscode';
import { applyChosenTarget } from '../../shared/fileTarget';
import { fileLabel, isMaoDocument, isMaoUri } from '../../shared/maoFiles';
import { targetLabel, type TargetSummary } from '../../shared/targetSummary';
import type { FeatureServices } from '../featureServices';
import { notify } from '../messages';
import { sendFiles, type SendFileResult } from '../sendCommand';
import type { RegistrationsTreeImpl } from './registrationsTree';
import { isNode, type GroupBy } from './treeNodes';

/** The Registrations view's commands (view title, inline and context menu). */
export interface RegistrationCommands {
  refresh(node?: unknown): Promise<void>;
  groupBy(by?: unknown): Promise<GroupBy | undefined>;
  filter(text?: unknown): Promise<string | undefined>;
  loadMore(node?: unknown): Promise<void>;
  setAsTarget(node?: unknown, nodes?: unknown): Promise<TargetSummary[] | undefined>;
  /** Sends a file (`file`, else the active `*.mao.json`, else one the person picks) to the registrations clicked or selected. */
  send(node?: unknown, nodes?: unknown, file?: unknown): Promise<SendFileResult[]>;
  copyId(node?: unknown): Promise<string | undefined>;
}

const groupings: readonly GroupBy[] = ['none', 'user', 'app', 'platform'];

export function registrationCommands(services: FeatureServices, tree: () => RegistrationsTreeImpl): RegistrationCommands {
  const { ports } = services;
  return {
    refresh: async (node) => tree().refresh(isNode(node) ? node : undefined),
    groupBy: async (by) => {
      let chosen = groupings.find((g) => g === by);
      if (!chosen) {
        const current = tree().groupBy;
        const items = groupings.map((g) => ({ label: groupingLabel(g), description: g === current ? l10n.t('current') : undefined, by: g }));
        chosen = (
          await ports.interaction.showQuickPick(items, {
            title: l10n.t('Group the registrations'),
            placeHolder: l10n.t('Group by user, app or platform, or not at all'),
          })
        )?.by;
      }
      if (chosen) await tree().setGroupBy(chosen);
      return chosen;
    },
    filter: async (text) => {
      const value =
        typeof text === 'string'
          ? text
          : await ports.interaction.showInputBox({
              title: l10n.t('Filter the registrations'),
              value: tree().filter,
              prompt: l10n.t('Shows the loaded registrations whose app, device, platform, version, user id, flags or id contain this text. Empty: show all.'),
              placeHolder: l10n.t('e.g. a user id, com.microsoft.teams, iOS, rootedDevice'),
            });
      if (value !== undefined) await tree().setFilter(value);
      return value;
    },
    loadMore: async (node) => {
      if (isNode(node) && node.kind === 'more') await tree().loadMore(node);
    },
    setAsTarget: async (node, nodes) => {
      const chosen = tree()
        .registrationsOf(node, nodes)
        .map((n) => n.summary);
      const document = vscode.window.activeTextEditor?.document;
      if (!chosen.length) return undefined;
      if (!isMaoDocument(document)) {
        notify(ports, 'warning', l10n.t('Open a *.mao.json file first: the registration becomes the target of the active file.'));
        return undefined;
      }
      await applyChosenTarget(services.targets, document, chosen);
      const names = chosen.map((target) => targetLabel(target)).join(', ');
      services.log.info(`[target] ${fileLabel(document.uri)} → ${chosen.map((t) => `${targetLabel(t)} (${t.id})`).join(', ')}`);
      vscode.window.setStatusBarMessage(l10n.t('$(target) {0} now goes to {1}', fileLabel(document.uri), names), 5000);
      return chosen;
    },
    send: async (node, nodes, file) => {
      const chosen = tree().registrationsOf(node, nodes);
      if (!chosen.length) {
        notify(ports, 'warning', l10n.t('Select the registrations to send to in the Registrations view.'));
        return [];
      }
      const uri = file instanceof vscode.Uri ? file : await fileToSend(services);
      if (!uri) return [];
      const results = await sendFiles(services, [{ uri, targets: chosen.map((n) => n.summary) }]);
      tree().sentTo(results.filter((r) => r.outcome === 'created' || r.outcome === 'unknown').flatMap((r) => (r.registrationId ? [r.registrationId] : [])));
      return results;
    },
    copyId: async (node) => {
      if (!isNode(node) || (node.kind !== 'registration' && node.kind !== 'operation')) return undefined;
      const id = node.kind === 'registration' ? node.id : String(node.raw['id'] ?? '');
      if (!id) return undefined;
      await ports.interaction.writeClipboard(id);
      vscode.window.setStatusBarMessage(l10n.t('$(copy) Copied {0}', id), 3000);
      return id;
    },
  };
}

function groupingLabel(by: GroupBy): string {
  switch (by) {
    case 'none':
      return l10n.t('$(list-flat) No grouping');
    case 'user':
      return l10n.t('$(person) By user');
    case 'app':
      return l10n.t('$(package) By app');
    case 'platform':
      return l10n.t('$(device-mobile) By platform');
  }
}

/** The active `*.mao.json`, or one of the workspace's that the person picks. */
async function fileToSend(services: FeatureServices): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (isMaoUri(active)) return active;
  const found = await vscode.workspace.findFiles('**/*.mao.json', '**/node_modules/**', 500);
  if (found.length === 0) {
    notify(services.ports, 'warning', l10n.t('No *.mao.json file in the workspace to send: create one with "Intune: New Managed App Operation".'));
    return undefined;
  }
  const items = found
    .map((uri) => ({ label: uri.path.slice(uri.path.lastIndexOf('/') + 1), description: fileLabel(uri), uri }))
    .sort((a, b) => a.description.localeCompare(b.description));
  const picked = await services.ports.interaction.showQuickPick(items, {
    title: l10n.t('Send which file?'),
    placeHolder: l10n.t('The *.mao.json file to send to the selected registrations'),
    matchOnDescription: true,
  });
  return picked?.uri;
}
