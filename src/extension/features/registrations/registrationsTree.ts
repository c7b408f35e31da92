import vscode = require('vscode');
import { l10n } from 'vscode';
import type { RegistrationsTree } from '../../registrationsView';
import { registrationsFilteredKey } from '../../registrationsView';
import { planFromSettings, type ConnectionPlan } from '../../shared/connectionPlan';
import { loadCore } from '../../shared/loadCore';
import { affectsConnection } from '../../shared/readSettings';
import type { FeatureServices } from '../featureServices';
import { graphClientFor } from '../graphConnection';
import { presentFailure } from '../presentFailure';
import { PagedList } from './pagedList';
import {
  groupNodes,
  isNode,
  matchesFilter,
  registrationNode,
  treeItemOf,
  viewCaption,
  type GroupBy,
  type GroupNode,
  type MoreNode,
  type RegistrationNode,
  type TreeNode,
} from './treeNodes';

const groupByKey = 'intuneMao.registrations.groupBy';

/** What the view lists for the account it found: the client and the pages read so far. */
interface Session {
  readonly plan: ConnectionPlan;
  readonly account: string;
  readonly registrations: PagedList;
  readonly operations: Map<string, PagedList>;
  /** How many of the registrations read were told to the names the CodeLens uses. */
  learned: number;
}

/**
 * The Registrations view's items: the tenant's registrations a page at a time ("Load more"), grouped or not,
 * filtered by text; a registration's operations a page at a time when it is expanded. Opening the view asks
 * for a session quietly and shows the welcome content (sign in) when there is none.
 */
export class RegistrationsTreeImpl implements RegistrationsTree, vscode.Disposable {
  private session: Session | undefined;
  private pendingRoot: Promise<TreeNode[]> | undefined;
  private readonly nodes = new Map<string, RegistrationNode>();
  private readonly groups = new Map<string, GroupNode>();
  private readonly more: MoreNode = { kind: 'more', loaded: 0 };
  private readonly operationMore = new Map<string, MoreNode>();
  private filterText = '';
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly services: FeatureServices) {
    this.subscriptions = [
      services.accounts.onDidChange(() => {
        const label = services.accounts.current?.label;
        if (this.session ? label !== this.session.account : label && services.registrationsView.state === 'signedOut') this.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsConnection(event) || event.affectsConfiguration('intuneMao.apiVersion')) this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
    ];
  }

  get groupBy(): GroupBy {
    const value = this.services.context.workspaceState.get<string>(groupByKey);
    return value === 'user' || value === 'app' || value === 'platform' ? value : 'none';
  }

  get filter(): string {
    return this.filterText;
  }

  async setGroupBy(by: GroupBy): Promise<void> {
    await this.services.context.workspaceState.update(groupByKey, by === 'none' ? undefined : by);
    this.services.registrationsView.refresh();
  }

  async setFilter(text: string): Promise<void> {
    this.filterText = text.trim();
    await vscode.commands.executeCommand('setContext', registrationsFilteredKey, this.filterText !== '');
    this.services.registrationsView.refresh();
  }

  /** Everything again from Graph (no node), or one registration's operations. */
  refresh(node?: TreeNode): void {
    if (node?.kind === 'registration') {
      this.session?.operations.delete(node.id);
      this.services.registrationsView.refresh(node);
      return;
    }
    this.session = undefined;
    this.services.registrationsView.refresh();
  }

  /** Operations were created on these registrations: their lists are read again when shown. */
  sentTo(ids: Iterable<string>): void {
    for (const id of new Set(ids)) {
      const node = this.nodes.get(id.toLowerCase());
      if (node) this.refresh(node);
      else this.session?.operations.delete(id.toLowerCase());
    }
  }

  async loadMore(node: MoreNode): Promise<void> {
    const session = this.session;
    const list = node.parent ? session?.operations.get(node.parent.id) : session?.registrations;
    if (!session || !list) return;
    try {
      await list.loadNext();
    } catch (error) {
      presentFailure(this.services, error, { command: 'registrations', plan: session.plan });
    }
    this.services.registrationsView.refresh(node.parent);
  }

  /** The registration nodes behind a click: the selection when there is one, a group's members, or the node. */
  registrationsOf(node: unknown, selection?: unknown): RegistrationNode[] {
    const picked = Array.isArray(selection) && selection.length ? selection : [node];
    const found = picked.filter(isNode).flatMap((n) => (n.kind === 'registration' ? [n] : n.kind === 'group' ? n.members : []));
    return [...new Map(found.map((n) => [n.id, n])).values()];
  }

  getChildren(element?: unknown): Promise<TreeNode[]> | TreeNode[] {
    if (element === undefined)
      return (this.pendingRoot ??= this.root().finally(() => {
        this.pendingRoot = undefined;
      }));
    if (!isNode(element)) return [];
    if (element.kind === 'group') return element.members.filter((member) => matchesFilter(member, this.filterText));
    if (element.kind === 'registration') return this.operationsOf(element);
    return [];
  }

  getTreeItem(element: unknown): vscode.TreeItem {
    return treeItemOf(element as TreeNode);
  }

  getParent(element: unknown): TreeNode | undefined {
    if (!isNode(element)) return undefined;
    if (element.kind === 'registration') return this.groupBy === 'none' ? undefined : element.group;
    if (element.kind === 'operation') return element.registration;
    if (element.kind === 'more' || element.kind === 'note') return element.parent;
    return undefined;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async root(): Promise<TreeNode[]> {
    const view = this.services.registrationsView;
    if (!vscode.workspace.isTrusted) return this.show('untrusted');
    const session = this.session ?? (await this.startSession());
    if (!session) return [];
    if (!session.registrations.loaded) {
      try {
        await session.registrations.loadNext();
      } catch (error) {
        this.session = undefined;
        presentFailure(this.services, error, { command: 'registrations', plan: session.plan });
        return this.show('error');
      }
    }
    const all = session.registrations.items.map((raw) => this.nodeOf(raw)).filter((node) => node.id);
    // Names for the CodeLens: only those of the pages not seen yet.
    this.services.targets.learn(all.slice(session.learned).map((node) => node.summary));
    session.learned = all.length;
    const shown = all.filter((node) => matchesFilter(node, this.filterText));
    this.more.loaded = all.length;
    const more = session.registrations.hasMore ? [this.more] : [];
    const caption = viewCaption(this.groupBy, this.filterText, all.length, shown.length, more.length > 0);
    view.view.description = caption.description;
    view.view.message = caption.message;
    if (all.length === 0 && more.length === 0) return this.show('empty');
    await view.setState('loaded');
    return [...groupNodes(this.groupBy, shown, this.groups), ...more];
  }

  /** Who is signed in, asked quietly; the welcome content (sign in, settings) when nobody can be. */
  private async startSession(): Promise<Session | undefined> {
    let plan: ConnectionPlan;
    try {
      plan = planFromSettings();
    } catch (error) {
      this.services.log.warn(`[registrations] ${(error as Error).message}`);
      await this.services.registrationsView.setState('setup');
      return undefined;
    }
    const account = await this.services.signIn.quietAccount(plan).catch((error: unknown) => {
      this.services.log.debug(`[registrations] no quiet session: ${(error as Error).message}`);
      return undefined;
    });
    if (!account) {
      this.services.log.info('[registrations] nobody is signed in: the view offers to sign in');
      await this.services.registrationsView.setState('signedOut');
      return undefined;
    }
    const core = loadCore();
    const client = graphClientFor(this.services, plan, 'read');
    const request = core.buildGetRequest(plan.target, core.registrationsPath(plan.settings.apiVersion));
    this.services.log.info(`[registrations] listing for ${account.username}: GET ${request.url}`);
    const operations = new Map<string, PagedList>();
    this.session = { plan, account: account.username, registrations: new PagedList(client, request, l10n.t('the app registrations')), operations, learned: 0 };
    return this.session;
  }

  private async operationsOf(node: RegistrationNode): Promise<TreeNode[]> {
    const session = this.session;
    if (!session) return [];
    let list = session.operations.get(node.id);
    if (!list) {
      const core = loadCore();
      const request = core.buildGetRequest(session.plan.target, core.operationsPath(session.plan.settings.apiVersion, node.id));
      list = new PagedList(graphClientFor(this.services, session.plan, 'read'), request, l10n.t('the operations of {0}', node.id));
      session.operations.set(node.id, list);
    }
    if (!list.loaded) {
      try {
        await list.loadNext();
      } catch (error) {
        session.operations.delete(node.id);
        presentFailure(this.services, error, { command: 'registrations', plan: session.plan });
        return [{ kind: 'note', parent: node, text: l10n.t('Could not list the operations (see the notification)') }];
      }
    }
    const operations: TreeNode[] = list.items.map((raw) => ({ kind: 'operation', registration: node, raw }));
    if (list.hasMore) {
      const more = this.operationMore.get(node.id) ?? { kind: 'more', parent: node, loaded: 0 };
      more.loaded = list.items.length;
      this.operationMore.set(node.id, more);
      operations.push(more);
    }
    return operations.length ? operations : [{ kind: 'note', parent: node, text: l10n.t('No operations yet') }];
  }

  /** The same node object for the same registration, so VS Code keeps its state across refreshes. */
  private nodeOf(raw: Record<string, unknown>): RegistrationNode {
    const fresh = registrationNode(raw);
    const known = this.nodes.get(fresh.id);
    if (!known) {
      this.nodes.set(fresh.id, fresh);
      return fresh;
    }
    known.raw = raw;
    known.summary = fresh.summary;
    return known;
  }

  private async show(state: 'untrusted' | 'error' | 'empty'): Promise<TreeNode[]> {
    await this.services.registrationsView.setState(state);
    return [];
  }
}
