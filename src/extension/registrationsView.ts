import vscode = require('vscode');

export const registrationsViewId = 'intuneMao.registrations';
/** The context key the view's welcome content is chosen by. */
export const registrationsStateKey = 'intuneMao.registrations.state';
export const registrationsFilteredKey = 'intuneMao.registrations.filtered';

/**
 * What the Registrations view shows instead of items (its welcome content), or `loaded` when it shows items:
 * signedOut, empty (signed in, no registrations), error, untrusted (Restricted Mode), setup (settings to fix).
 */
export type RegistrationsState = 'signedOut' | 'empty' | 'error' | 'untrusted' | 'setup' | 'loaded';

/** The tree's implementation (dist/features.js). */
export interface RegistrationsTree {
  getChildren(element?: unknown): vscode.ProviderResult<unknown[]>;
  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem>;
  getParent?(element: unknown): vscode.ProviderResult<unknown>;
}

/**
 * The Registrations view as the activation registers it: the view and a provider that loads the tree's
 * implementation on the first `getChildren`, which VS Code makes only once the view is shown. A window that
 * never shows it loads nothing and asks nobody for a session.
 */
export class RegistrationsView implements vscode.TreeDataProvider<unknown>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<unknown>;
  private currentState: RegistrationsState | undefined;

  constructor(private readonly tree: () => RegistrationsTree) {
    this.view = vscode.window.createTreeView(registrationsViewId, { treeDataProvider: this, canSelectMany: true, showCollapseAll: true });
  }

  /** What the welcome content shows now (undefined until the view was first filled). */
  get state(): RegistrationsState | undefined {
    return this.currentState;
  }

  async setState(state: RegistrationsState): Promise<void> {
    this.currentState = state;
    await vscode.commands.executeCommand('setContext', registrationsStateKey, state);
  }

  /** The whole tree (no argument) or one element changed. */
  refresh(element?: unknown): void {
    this.changed.fire(element);
  }

  getChildren(element?: unknown): vscode.ProviderResult<unknown[]> {
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
