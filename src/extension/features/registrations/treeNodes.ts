import vscode = require('vscode');
import { l10n } from 'vscode';
import { commandIds } from '../../shared/commandIds';
import { loadCore } from '../../shared/loadCore';
import type { TargetSummary } from '../../shared/targetSummary';
import { formatDate, summarizeRegistration } from '../registrationSummary';

type Registration = Record<string, unknown>;
export type GroupBy = 'none' | 'user' | 'app' | 'platform';

export interface RegistrationNode {
  readonly kind: 'registration';
  readonly id: string;
  raw: Registration;
  summary: TargetSummary;
  group?: GroupNode;
}
export interface GroupNode {
  readonly kind: 'group';
  readonly by: Exclude<GroupBy, 'none'>;
  readonly key: string;
  members: RegistrationNode[];
}
export interface OperationNode {
  readonly kind: 'operation';
  readonly registration: RegistrationNode;
  readonly raw: Record<string, unknown>;
}
/** "Load more": the next page of the registrations (no parent) or of one registration's operations. */
export interface MoreNode {
  readonly kind: 'more';
  readonly parent?: RegistrationNode;
  loaded: number;
}
export interface NoteNode {
  readonly kind: 'note';
  readonly parent: RegistrationNode;
  readonly text: string;
}
export type TreeNode = RegistrationNode | GroupNode | OperationNode | MoreNode | NoteNode;

export function isNode(value: unknown): value is TreeNode {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

/** The text a registration is grouped by; "(none)" when Graph left it out. */
export function groupKey(by: Exclude<GroupBy, 'none'>, summary: TargetSummary): string {
  const value = by === 'user' ? summary.user : by === 'app' ? summary.app : summary.platform;
  return value ?? l10n.t('(none)');
}

/** Whether a registration shows under the filter: any field shown or in its tooltip contains the text. */
export function matchesFilter(node: RegistrationNode, filter: string): boolean {
  if (!filter) return true;
  const { displayText: text, flagsOf } = loadCore();
  const fields = [
    node.id,
    node.summary.app,
    node.summary.device,
    node.summary.user,
    node.summary.platform,
    text(node.raw['platformVersion']),
    text(node.raw['applicationVersion']),
    text(node.raw['deviceType']),
    text(node.raw['deviceModel']),
    text(node.raw['deviceTag']),
    ...flagsOf(node.raw),
  ];
  const wanted = filter.toLowerCase();
  return fields.some((field) => field?.toLowerCase().includes(wanted));
}

/**
 * The groups the shown registrations fall in, sorted by name; the same group object for the same key
 * (`known`), so VS Code keeps a group expanded across refreshes.
 */
export function groupNodes(by: GroupBy, shown: RegistrationNode[], known: Map<string, GroupNode>): TreeNode[] {
  if (by === 'none') return shown;
  const groups = new Map<string, GroupNode>();
  for (const node of shown) {
    const key = groupKey(by, node.summary);
    let group = groups.get(key);
    if (!group) {
      group = known.get(`${by}:${key}`) ?? { kind: 'group', by, key, members: [] };
      group.members = [];
      known.set(`${by}:${key}`, group);
      groups.set(key, group);
    }
    group.members.push(node);
    node.group = group;
  }
  return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** The view's description (grouping, filter) and message (how many of the loaded registrations match). */
export function viewCaption(
  by: GroupBy,
  filter: string,
  total: number,
  shown: number,
  more: boolean,
): { description: string | undefined; message: string | undefined } {
  const byLabel = by === 'user' ? l10n.t('by user') : by === 'app' ? l10n.t('by app') : by === 'platform' ? l10n.t('by platform') : undefined;
  return {
    description: [byLabel, filter ? l10n.t('filter "{0}"', filter) : undefined].filter(Boolean).join(' · ') || undefined,
    message: filter
      ? l10n.t('{0} of {1} loaded registrations match "{2}".', String(shown), String(total), filter) +
        (more ? ` ${l10n.t('Load more to search the rest.')}` : '')
      : undefined,
  };
}

export function treeItemOf(node: TreeNode): vscode.TreeItem {
  switch (node.kind) {
    case 'registration':
      return registrationItem(node);
    case 'group':
      return groupItem(node);
    case 'operation':
      return operationItem(node);
    case 'more': {
      const item = new vscode.TreeItem(l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
      item.id = `more:${node.parent?.id ?? 'registrations'}`;
      item.description = l10n.t('{0} loaded', String(node.loaded));
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = 'loadMore';
      item.command = { command: commandIds.loadMore, title: l10n.t('Load more'), arguments: [node] };
      return item;
    }
    case 'note': {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.id = `note:${node.parent.id}`;
      item.contextValue = 'note';
      return item;
    }
  }
}

function registrationItem(node: RegistrationNode): vscode.TreeItem {
  const { displayText: text, flagsOf } = loadCore();
  const { summary, raw } = node;
  const flags = flagsOf(raw);
  const platform = [summary.platform, text(raw['platformVersion'])].filter(Boolean).join(' ');
  const lastSync = text(raw['lastSyncDateTime']);
  const item = new vscode.TreeItem(summary.app ?? l10n.t('(unknown app)'), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `registration:${node.id}`;
  item.description = [
    summary.device,
    platform || undefined,
    text(raw['applicationVersion']) && l10n.t('app {0}', text(raw['applicationVersion'])!),
    summary.user && l10n.t('user {0}', `${summary.user.slice(0, 8)}…`),
    lastSync && l10n.t('synced {0}', formatDate(lastSync).slice(0, 10)),
    flags.length ? l10n.t('flagged: {0}', flags.join(', ')) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  item.iconPath = flags.length ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : platformIcon(summary.platform);
  item.contextValue = 'registration';
  item.tooltip = registrationTooltip(node, flags);
  return item;
}

function platformIcon(platform: string | undefined): vscode.ThemeIcon {
  if (platform === 'Android') return new vscode.ThemeIcon('device-mobile', new vscode.ThemeColor('charts.green'));
  if (platform === 'iOS') return new vscode.ThemeIcon('device-mobile', new vscode.ThemeColor('charts.blue'));
  if (platform === 'Windows') return new vscode.ThemeIcon('window');
  return new vscode.ThemeIcon('question');
}

/** Every field a person may want, as text (the values are the tenant's data, never read as Markdown). */
function registrationTooltip(node: RegistrationNode, flags: string[]): vscode.MarkdownString {
  const { displayText: text } = loadCore();
  const raw = node.raw;
  const date = (name: string): string | undefined => {
    const value = text(raw[name]);
    return value && formatDate(value);
  };
  const device = [text(raw['deviceManufacturer']), text(raw['deviceModel']), text(raw['deviceType'])].filter(Boolean).join(' ');
  const rows: Array<[string, string | undefined]> = [
    [l10n.t('App'), [node.summary.app, text(raw['applicationVersion'])].filter(Boolean).join(' ')],
    [l10n.t('Device'), [node.summary.device, device && `(${device})`].filter(Boolean).join(' ')],
    [
      l10n.t('Platform'),
      [node.summary.platform, text(raw['platformVersion']), text(raw['patchVersion']) && l10n.t('patch {0}', text(raw['patchVersion'])!)]
        .filter(Boolean)
        .join(' '),
    ],
    [l10n.t('User id'), node.summary.user],
    [l10n.t('Last sync'), date('lastSyncDateTime')],
    [l10n.t('Registered'), date('createdDateTime')],
    [l10n.t('Flags'), flags.length ? flags.join(', ') : l10n.t('none')],
    [l10n.t('Device tag'), text(raw['deviceTag'])],
    [l10n.t('App protection SDK'), text(raw['managementSdkVersion'])],
    [l10n.t('Registration id'), node.id],
    [l10n.t('Entra device id'), text(raw['azureADDeviceId'])],
    [l10n.t('Managed device id'), text(raw['managedDeviceId'])],
    [l10n.t('Registration version'), text(raw['version'])],
  ];
  const tooltip = new vscode.MarkdownString();
  for (const [name, value] of rows) {
    if (!value) continue;
    tooltip.appendMarkdown(`**${name}:** `);
    tooltip.appendText(value);
    tooltip.appendMarkdown('  \n');
  }
  return tooltip;
}

function groupItem(node: GroupNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `group:${node.by}:${node.key}`;
  const count = node.members.length === 1 ? l10n.t('1 registration') : l10n.t('{0} registrations', String(node.members.length));
  const devices = node.by === 'user' ? [...new Set(node.members.map((m) => m.summary.device).filter(Boolean))].join(', ') : '';
  item.description = devices ? `${count} · ${devices}` : count;
  item.iconPath = new vscode.ThemeIcon(node.by === 'user' ? 'person' : node.by === 'app' ? 'package' : 'device-mobile');
  item.contextValue = 'registrationGroup';
  return item;
}

function operationItem(node: OperationNode): vscode.TreeItem {
  const { displayText: text } = loadCore();
  const raw = node.raw;
  const modified = text(raw['lastModifiedDateTime']);
  const item = new vscode.TreeItem(text(raw['displayName']) ?? l10n.t('(no name)'), vscode.TreeItemCollapsibleState.None);
  const id = text(raw['id']);
  item.id = `operation:${node.registration.id}:${id ?? ''}`;
  item.description = [text(raw['state']), modified && formatDate(modified)].filter(Boolean).join(' · ');
  item.iconPath = new vscode.ThemeIcon('symbol-event');
  item.contextValue = 'operation';
  const tooltip = new vscode.MarkdownString();
  for (const [name, value] of [
    [l10n.t('Operation id'), id],
    [l10n.t('State'), text(raw['state'])],
    [l10n.t('Version'), text(raw['version'])],
    [l10n.t('Last modified'), modified && formatDate(modified)],
  ] as const) {
    if (!value) continue;
    tooltip.appendMarkdown(`**${name}:** `);
    tooltip.appendText(value);
    tooltip.appendMarkdown('  \n');
  }
  item.tooltip = tooltip;
  return item;
}

export function registrationNode(raw: Registration, group?: GroupNode): RegistrationNode {
  const summary = summarizeRegistration(raw);
  return { kind: 'registration', id: summary.id.toLowerCase(), raw, summary, ...(group ? { group } : {}) };
}
