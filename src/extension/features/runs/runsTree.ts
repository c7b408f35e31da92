import vscode = require('vscode');
import { l10n } from 'vscode';
import type { TreeImplementation } from '../../lazyTreeView';
import type { RunsView } from '../../runsView';
import { isRunNode, runItemTreeItem, runTreeItem, type RunItemNode, type RunNode, type RunTreeNode } from './runNodes';
import type { RunRecord } from './runRecord';
import type { RunStore } from './runStore';

/** How long changes (a run's results arriving) are gathered before the view is redrawn. */
const redrawAfterMs = 150;
/** How long a reveal waits for VS Code to show the view (it may not: a container the person closed). */
const showWithinMs = 5000;

/**
 * The Runs view's items: the runs, newest first; a run's items under it. The same node object for the same run
 * or item, so that VS Code keeps what is expanded and selected while results arrive.
 */
export class RunsTreeImpl implements TreeImplementation, vscode.Disposable {
  private readonly runNodes = new Map<string, RunNode>();
  private readonly itemNodes = new Map<string, RunItemNode>();
  private readonly subscription: vscode.Disposable;
  private pending: Set<RunRecord | undefined> | undefined;

  constructor(
    private readonly store: RunStore,
    private readonly view: RunsView,
  ) {
    this.subscription = store.onDidChange((run) => this.redrawSoon(run));
  }

  async getChildren(element?: unknown): Promise<RunTreeNode[]> {
    if (element === undefined) {
      const runs = await this.store.all();
      await this.view.setEmpty(runs.length === 0);
      return runs.map((run) => this.nodeOfRun(run.id));
    }
    if (!isRunNode(element) || element.kind !== 'run') return [];
    const run = await this.store.find(element.id);
    return run ? run.items.map((item) => this.nodeOfItem(run.id, item.key)) : [];
  }

  async getTreeItem(element: unknown): Promise<vscode.TreeItem> {
    const node = element as RunTreeNode;
    const run = await this.store.find(node.kind === 'run' ? node.id : node.runId);
    if (!run) return new vscode.TreeItem(l10n.t('(deleted)'));
    if (node.kind === 'run') return runTreeItem(run, this.store.isLive(run.id));
    const item = run.items.find((i) => i.key === node.key);
    return item ? runItemTreeItem(run, item, node) : new vscode.TreeItem(l10n.t('(deleted)'));
  }

  getParent(element: unknown): RunTreeNode | undefined {
    return isRunNode(element) && element.kind === 'runItem' ? this.nodeOfRun(element.runId) : undefined;
  }

  /**
   * Shows the run in the Runs view, selected and expanded. VS Code reveals only an item its view has drawn, and
   * a view draws only while shown: so the view is shown first, then redrawn (a reveal waits for a redraw fired
   * before it), and the run it now holds is revealed.
   */
  async reveal(runId: string): Promise<void> {
    await this.store.all();
    await shown(this.view);
    this.view.refresh();
    await this.view.view.reveal(this.nodeOfRun(runId), { select: true, focus: true, expand: true });
  }

  /** The run of a node (a run, or one of its items). */
  async runOf(node: unknown): Promise<RunRecord | undefined> {
    if (!isRunNode(node)) return undefined;
    return this.store.find(node.kind === 'run' ? node.id : node.runId);
  }

  nodeOfRun(id: string): RunNode {
    let node = this.runNodes.get(id);
    if (!node) this.runNodes.set(id, (node = { kind: 'run', id }));
    return node;
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private nodeOfItem(runId: string, key: string): RunItemNode {
    const id = `${runId}\n${key}`;
    let node = this.itemNodes.get(id);
    if (!node) this.itemNodes.set(id, (node = { kind: 'runItem', runId, key }));
    return node;
  }

  private redrawSoon(run: RunRecord | undefined): void {
    if (this.pending) {
      this.pending.add(run);
      return;
    }
    this.pending = new Set([run]);
    setTimeout(() => {
      const changed = this.pending!;
      this.pending = undefined;
      if (changed.has(undefined)) this.view.refresh();
      else for (const one of changed) this.view.refresh(this.nodeOfRun(one!.id));
    }, redrawAfterMs);
  }
}

/** Focuses the view and waits until VS Code says it is shown (or gives up after showWithinMs). */
async function shown({ id, view }: RunsView): Promise<void> {
  if (view.visible) return;
  let subscription: vscode.Disposable | undefined;
  let timer: NodeJS.Timeout | undefined;
  const visible = new Promise<void>((resolve) => {
    subscription = view.onDidChangeVisibility((event) => {
      if (event.visible) resolve();
    });
    timer = setTimeout(resolve, showWithinMs);
  });
  try {
    await vscode.commands.executeCommand(`${id}.focus`);
    await visible;
  } finally {
    subscription?.dispose();
    clearTimeout(timer);
  }
}
