import vscode = require('vscode');

/** A tree's implementation, which lives in dist/features.js. */
export interface TreeImplementation {
  getChildren(element?: unknown): vscode.ProviderResult<unknown[]>;
  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem>;
  getParent?(element: unknown): vscode.ProviderResult<unknown>;
}

/**
 * A side bar view as the activation registers it: the view and a provider that loads the tree's
 * implementation on the first `getChildren`, which VS Code makes only once the view is shown. A window that
 * never shows it loads nothing for it.
 */
export class LazyTreeView implements vscode.TreeDataProvider<unknown>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<unknown>;
  /** VS Code asked for the items at least once. */
  filled = false;

  constructor(
    readonly id: string,
    private readonly tree: () => TreeImplementation,
  ) {
    this.view = vscode.window.createTreeView(id, { treeDataProvider: this, canSelectMany: true, showCollapseAll: true });
  }

  /** The whole tree (no argument) or one element changed. */
  refresh(element?: unknown): void {
    this.changed.fire(element);
  }

  getChildren(element?: unknown): vscode.ProviderResult<unknown[]> {
    this.filled = true;
    return this.tree().getChildren(element);
  }

  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.tree().getTreeItem(element);
  }

  getParent(element: unknown): vscode.ProviderResult<unknown> {
    return this.tree().getParent?.(element);
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
