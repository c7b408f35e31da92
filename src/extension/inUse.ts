import vscode = require('vscode');
import { isMaoDocument } from './shared/maoFiles';

/** The context key the manifest shows the Intune side bar by. */
export const inUseContextKey = 'intuneMao.inUse';
const stateKey = 'intuneMao.inUse';

/**
 * Whether this workspace uses the extension: it holds a `*.mao.json`, or one of its commands ran here. Kept in
 * the workspace's state, so the side bar is back as soon as the extension starts again in this workspace.
 */
export class InUse implements vscode.Disposable {
  private marked = false;
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly state: vscode.Memento) {
    if (state.get<boolean>(stateKey)) {
      this.mark();
      return;
    }
    this.subscription = vscode.workspace.onDidOpenTextDocument((document) => this.markIfWorkspaceFile(document));
    for (const document of vscode.workspace.textDocuments) this.markIfWorkspaceFile(document);
    // Off the activation path: one match is enough.
    if (vscode.workspace.workspaceFolders?.length) {
      void Promise.resolve(vscode.workspace.findFiles('**/*.mao.json', '**/node_modules/**', 1)).then(
        (found) => {
          if (found.length) this.mark();
        },
        () => undefined,
      );
    }
  }

  get value(): boolean {
    return this.marked;
  }

  mark(): void {
    if (this.marked) return;
    this.marked = true;
    this.subscription?.dispose();
    this.subscription = undefined;
    void vscode.commands.executeCommand('setContext', inUseContextKey, true);
    void this.state.update(stateKey, true);
  }

  dispose(): void {
    this.subscription?.dispose();
  }

  private markIfWorkspaceFile(document: vscode.TextDocument): void {
    if (isMaoDocument(document) && vscode.workspace.getWorkspaceFolder(document.uri)) this.mark();
  }
}
