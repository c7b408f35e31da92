import vscode = require('vscode');

export type MessageSeverity = 'error' | 'warning' | 'info';

/** How the extension asks VS Code for a Microsoft (or sandbox) session. */
export interface AuthenticationPort {
  getSession(
    providerId: string,
    scopes: readonly string[],
    options: vscode.AuthenticationGetSessionOptions,
  ): Thenable<vscode.AuthenticationSession | undefined>;
  readonly onDidChangeSessions: vscode.Event<vscode.AuthenticationSessionsChangeEvent>;
}

/** Everything the extension shows or asks the person, and what leaves the window (clipboard, links). */
export interface InteractionPort {
  showMessage(severity: MessageSeverity, message: string, buttons: readonly string[]): Thenable<string | undefined>;
  /** A modal question before something that cannot be undone: true only when the person clicks `action`. */
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
  withProgress<R>(
    options: vscode.ProgressOptions,
    task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<R>,
  ): Thenable<R>;
  createQuickPick<T extends vscode.QuickPickItem>(): vscode.QuickPick<T>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showSaveDialog(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined>;
  writeClipboard(text: string): Thenable<void>;
  openExternal(uri: vscode.Uri): Thenable<boolean>;
}

/**
 * The extension's ports to VS Code: the few calls that prompt a person or leave the window. Code reads them
 * from here at each use, so the integration tests replace a port (a sign-in that answers, a message that is
 * recorded) without touching the `vscode` module.
 */
export interface Ports {
  authentication: AuthenticationPort;
  interaction: InteractionPort;
}

export function vscodePorts(): Ports {
  return {
    authentication: {
      getSession: (providerId, scopes, options) => vscode.authentication.getSession(providerId, scopes, options),
      onDidChangeSessions: vscode.authentication.onDidChangeSessions,
    },
    interaction: {
      showMessage: (severity, message, buttons) =>
        severity === 'error'
          ? vscode.window.showErrorMessage(message, ...buttons)
          : severity === 'warning'
            ? vscode.window.showWarningMessage(message, ...buttons)
            : vscode.window.showInformationMessage(message, ...buttons),
      confirm: async (message, detail, action) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
      withProgress: (options, task) => vscode.window.withProgress(options, task),
      createQuickPick: () => vscode.window.createQuickPick(),
      showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
      showInputBox: (options) => vscode.window.showInputBox(options),
      showSaveDialog: (options) => vscode.window.showSaveDialog(options),
      writeClipboard: (text) => vscode.env.clipboard.writeText(text),
      openExternal: (uri) => vscode.env.openExternal(uri),
    },
  };
}
