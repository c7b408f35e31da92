import vscode = require('vscode');
import { AccountState } from './accountState';
import { AccountStatus } from './accountStatus';
import { EmulatorAuthProvider } from './emulatorAuthProvider';
import type { Features } from './features/index';
import { InUse } from './inUse';
import { IntuneLog } from './intuneLog';
import { OperationsAsJson } from './shared/jsonMode';
import { OperationDiagnostics } from './operationDiagnostics';
import { vscodePorts, type Ports } from './ports';
import { PreviewDocuments, previewScheme } from './previewDocuments';
import { RegistrationNames } from './registrationNames';
import { RegistrationsView, type RegistrationsState } from './registrationsView';
import { RunsView } from './runsView';
import type { RunRecord } from './features/runs/runRecord';
import { ServerManagedQuickFix } from './serverManagedQuickFix';
import type { Services } from './services';
import { commandIds } from './shared/commandIds';
import { readSettings } from './shared/readSettings';
import { TargetCodeLens } from './targetCodeLens';
import { TargetStore } from './targetStore';

/** Returned by `activate` in a test run only (ExtensionMode.Test): the integration tests' handles. */
export interface IntuneMaoTestApi {
  /** The extension's ports to VS Code; a test replaces a member (a sign-in that answers, recorded messages). */
  readonly ports: Ports;
  /** Everything written to the "Intune" output channel (after redaction), oldest first. */
  outputText(): string;
  /** The account status bar item's text, undefined while it is hidden. */
  statusBarText(): string | undefined;
  /** What VS Code calls on the sandbox provider after the person clicks "Allow" (dialogs cannot be answered in tests). */
  createSandboxSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession>;
  /** Whether the Intune side bar is shown (the `intuneMao.inUse` context key). */
  inUse(): boolean;
  /** The Registrations view, its provider (what VS Code asks for items) and the welcome content it shows. */
  readonly registrations: {
    readonly view: vscode.TreeView<unknown>;
    readonly provider: vscode.TreeDataProvider<unknown>;
    state(): RegistrationsState | undefined;
  };
  /** The Runs view, its provider, and the runs as kept (these load dist/features.js when called). */
  readonly runs: {
    readonly view: vscode.TreeView<unknown>;
    readonly provider: vscode.TreeDataProvider<unknown>;
    /** Whether VS Code asked the view for its items (without loading anything). */
    filled(): boolean;
    /** Whether the runs were read from storage in this window. */
    loaded(): boolean;
    list(): Promise<readonly RunRecord[]>;
    /** The runs as a new window would read them: a store of its own over the same storage. */
    readFresh(): Promise<readonly RunRecord[]>;
    /** Every file the runs and their journals wrote. */
    files(): Promise<string[]>;
    /** Everything the extension keeps: each file of its workspace and global storage folders, and each of its stored states. */
    stored(): Promise<Array<{ readonly where: string; readonly text: string }>>;
  };
}

const maoFiles: vscode.DocumentSelector = [{ pattern: '**/*.mao.json' }];

/** dist/features.js: the commands and everything they use, loaded on the first command. */
function featuresModule(): typeof import('./features/index') {
  // The literal './features' is left alone by the bundler and resolves to dist/features.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./features') as typeof import('./features/index');
}

/**
 * Registrations only. The validator loads when a *.mao.json needs it, the commands (dist/features.js) on the
 * first command, the Graph client (dist/core.js) on the first send or listing.
 */
export function activate(context: vscode.ExtensionContext): IntuneMaoTestApi | undefined {
  const testRun = context.extensionMode === vscode.ExtensionMode.Test;
  const log = new IntuneLog(testRun);
  const accounts = new AccountState(context.globalState);
  let loaded: Features | undefined;
  const features = (): Features => (loaded ??= featuresModule().createFeatures(services));
  const inUse = new InUse(context.workspaceState);
  const services: Services = {
    context,
    log,
    ports: vscodePorts(),
    accounts,
    targets: new TargetStore(context.workspaceState, new RegistrationNames(context.globalState)),
    registrationsView: new RegistrationsView(() => features().registrationsTree()),
    runsView: new RunsView(() => features().runsTree()),
    emulatorAuth: new EmulatorAuthProvider(log, (scopes) => featuresModule().mintSandboxToken(scopes)),
    previews: new PreviewDocuments(),
    version: String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0'),
    setupGuide: vscode.Uri.joinPath(context.extensionUri, 'README.md'),
  };
  const command = <A extends unknown[]>(id: string, run: (f: Features, ...args: A) => Promise<unknown>): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: A) => {
      inUse.mark();
      try {
        return await run(features(), ...args);
      } catch (error) {
        features().presentFailure(error, { command: id });
        return undefined;
      }
    });
  const codeLens = new TargetCodeLens(services.targets);
  const accountStatus = new AccountStatus(accounts);

  context.subscriptions.push(
    new OperationsAsJson(),
    log,
    accounts,
    inUse,
    services.targets,
    services.targets.names,
    services.registrationsView,
    services.runsView,
    services.emulatorAuth,
    new OperationDiagnostics(),
    vscode.languages.registerCodeActionsProvider(maoFiles, new ServerManagedQuickFix(), {
      providedCodeActionKinds: ServerManagedQuickFix.providedCodeActionKinds,
    }),
    codeLens,
    vscode.languages.registerCodeLensProvider(maoFiles, codeLens),
    services.previews,
    vscode.workspace.registerTextDocumentContentProvider(previewScheme, services.previews),
    accountStatus,
    command(commandIds.send, (f, uri?: unknown, uris?: unknown) => f.send(uri, uris)),
    command(commandIds.newOperation, (f, folder?: unknown) => f.newOperation(folder)),
    command(commandIds.chooseTarget, (f, uri?: unknown) => f.chooseTarget(uri)),
    command(commandIds.previewRequest, (f, uri?: unknown) => f.previewRequest(uri)),
    command(commandIds.signIn, (f) => f.signIn()),
    command(commandIds.signOut, (f) => f.account()),
    command(commandIds.showOutput, async () => log.show()),
    ...registrationCommands(command),
    ...runCommands(command),
    { dispose: () => loaded?.dispose() },
  );
  const sandboxWhenChosen = (settings = readSettings()): void => {
    if (settings.signIn === 'emulator') services.emulatorAuth.ensureRegistered();
  };
  // The first read of the window's configuration costs several milliseconds, and nothing the opened file needs
  // (its validation, CodeLens, commands) waits for it: the status bar and the sandbox's account menu entry
  // follow right after activation.
  const afterActivation = setTimeout(() => {
    const settings = readSettings();
    accountStatus.update(settings);
    sandboxWhenChosen(settings);
  }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(afterActivation) });
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('intuneMao.signIn')) sandboxWhenChosen();
    }),
  );
  if (!testRun) return undefined;
  return {
    ports: services.ports,
    outputText: () => log.text(),
    statusBarText: () => accountStatus.shownText,
    createSandboxSession: (scopes) => services.emulatorAuth.createSession(scopes),
    inUse: () => inUse.value,
    registrations: { view: services.registrationsView.view, provider: services.registrationsView, state: () => services.registrationsView.state },
    runs: {
      view: services.runsView.view,
      provider: services.runsView,
      filled: () => services.runsView.filled,
      loaded: () => loaded?.runs.loaded() ?? false,
      list: () => features().runs.list(),
      readFresh: () => features().runs.readFresh(),
      files: () => features().runs.files(),
      stored: () => features().runs.stored(),
    },
  };
}

type CommandRegistrar = <A extends unknown[]>(id: string, run: (f: Features, ...args: A) => Promise<unknown>) => vscode.Disposable;

/** The Registrations view's commands; VS Code passes the clicked item and, in a multi-selection, all selected. */
function registrationCommands(command: CommandRegistrar): vscode.Disposable[] {
  const r = (f: Features): Features['registrations'] => f.registrations;
  return [
    command(commandIds.refreshRegistrations, (f, node?: unknown) => r(f).refresh(node)),
    command(commandIds.groupRegistrations, (f, by?: unknown) => r(f).groupBy(by)),
    command(commandIds.filterRegistrations, (f, text?: unknown) => r(f).filter(text)),
    command(commandIds.clearRegistrationFilter, (f) => r(f).filter('')),
    command(commandIds.loadMore, (f, node?: unknown) => r(f).loadMore(node)),
    command(commandIds.setAsTarget, (f, node?: unknown, nodes?: unknown) => r(f).setAsTarget(node, nodes)),
    command(commandIds.sendToRegistration, (f, node?: unknown, _nodes?: unknown, file?: unknown) => r(f).send(node, undefined, file)),
    command(commandIds.sendToSelected, (f, node?: unknown, nodes?: unknown, file?: unknown) => r(f).send(node, nodes, file)),
    command(commandIds.sendToGroup, (f, node?: unknown, _nodes?: unknown, file?: unknown) => r(f).send(node, undefined, file)),
    command(commandIds.copyId, (f, node?: unknown) => r(f).copyId(node)),
  ];
}

/** The Runs view's commands. */
function runCommands(command: CommandRegistrar): vscode.Disposable[] {
  const r = (f: Features): Features['runs'] => f.runs;
  return [
    command(commandIds.showRunItem, (f, node?: unknown) => r(f).showItem(node)),
    command(commandIds.checkUnknown, (f, node?: unknown) => r(f).checkUnknown(node)),
    command(commandIds.resendFailures, (f, node?: unknown) => r(f).resendFailures(node)),
    command(commandIds.resendUnknown, (f, node?: unknown) => r(f).resendUnknown(node)),
    command(commandIds.exportRun, (f, node?: unknown, _nodes?: unknown, format?: unknown) => r(f).export(node, format)),
    command(commandIds.openJournal, (f, node?: unknown) => r(f).openJournal(node)),
    command(commandIds.deleteRun, (f, node?: unknown, nodes?: unknown) => r(f).delete(node, nodes)),
    command(commandIds.deleteAllRuns, (f) => r(f).deleteAll()),
  ];
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
