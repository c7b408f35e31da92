import * as vscode from 'vscode';
import { accountCommand } from './accountCommand';
import { AccountStatus } from './accountStatus';
import { chooseTargetCommand } from './chooseTargetCommand';
import { commandIds } from './commandIds';
import { emulatorProviderId } from './connectionPlan';
import { EmulatorAuthProvider } from './emulatorAuthProvider';
import { IntuneLog } from './intuneLog';
import { newOperationCommand } from './newOperation';
import { OperationDiagnostics } from './operationDiagnostics';
import { PreviewDocuments, previewRequestCommand, previewScheme } from './previewRequest';
import { sendCommand } from './sendCommand';
import { ServerManagedQuickFix } from './serverManagedQuickFix';
import type { Services } from './services';
import { SignIn } from './signIn';
import { TargetCodeLens } from './targetCodeLens';
import { TargetStore } from './targetStore';
import { notify } from './userMessages';

/** Returned by `activate`; read by the integration tests only. */
export interface IntuneMaoTestApi {
  /** Everything written to the "Intune" output channel (after redaction), oldest first. */
  outputText(): string;
  /** The account status bar item's text, undefined while it is hidden. */
  statusBarText(): string | undefined;
  /** What VS Code calls on the sandbox provider after the person clicks "Allow" (dialogs cannot be answered in tests). */
  createSandboxSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession>;
}

const maoFiles: vscode.DocumentSelector = [{ pattern: '**/*.mao.json' }];

/**
 * Registers commands, providers and listeners, nothing else: the core (validator, Graph client) loads the
 * first time a `*.mao.json` is opened or a command runs.
 */
export function activate(context: vscode.ExtensionContext): IntuneMaoTestApi {
  const log = new IntuneLog();
  const services: Services = {
    context,
    log,
    signIn: new SignIn(context.globalState, log, context.secrets),
    targets: new TargetStore(context.workspaceState),
    emulatorAuth: new EmulatorAuthProvider(log),
    version: String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0'),
    setupGuide: vscode.Uri.joinPath(context.extensionUri, 'README.md'),
  };
  const previews = new PreviewDocuments();
  const codeLens = new TargetCodeLens(services);
  const accountStatus = new AccountStatus(services);

  const command = <A extends unknown[], R>(id: string, handler: (...args: A) => Promise<R>): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: A) => {
      try {
        return await handler(...args);
      } catch (error) {
        log.error(`[${id}] ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        notify('error', vscode.l10n.t('Intune: {0}', error instanceof Error ? error.message : String(error)), { log });
        return undefined;
      }
    });

  context.subscriptions.push(
    log,
    services.signIn,
    services.targets,
    services.emulatorAuth,
    vscode.authentication.registerAuthenticationProvider(emulatorProviderId, vscode.l10n.t('Intune Emulator (sandbox)'), services.emulatorAuth, { supportsMultipleAccounts: false }),
    new OperationDiagnostics(),
    vscode.languages.registerCodeActionsProvider(maoFiles, new ServerManagedQuickFix(), { providedCodeActionKinds: ServerManagedQuickFix.providedCodeActionKinds }),
    codeLens,
    vscode.languages.registerCodeLensProvider(maoFiles, codeLens),
    previews,
    vscode.workspace.registerTextDocumentContentProvider(previewScheme, previews),
    accountStatus,
    command(commandIds.send, (uri?: unknown, uris?: unknown) => sendCommand(services, uri, uris)),
    command(commandIds.newOperation, (folder?: unknown) => newOperationCommand(services, folder)),
    command(commandIds.chooseTarget, (uri?: unknown) => chooseTargetCommand(services, uri)),
    command(commandIds.previewRequest, (uri?: unknown) => previewRequestCommand(services, previews, uri)),
    command(commandIds.signOut, () => accountCommand(services)),
    command(commandIds.showOutput, async () => log.show()),
  );
  return {
    outputText: () => log.text(),
    statusBarText: () => accountStatus.shownText,
    createSandboxSession: (scopes) => services.emulatorAuth.createSession(scopes),
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
