// dist/features.js: everything that runs because the person acted (commands, pickers, sign-in, the side bar's
// tree), loaded by dist/extension.js on the first command or when a view is first filled. It receives the
// activation's services and creates the rest here.
import vscode = require('vscode');
import type { TreeImplementation } from '../lazyTreeView';
import type { RegistrationsTree } from '../registrationsView';
import type { Services } from '../services';
import type { TargetSummary } from '../shared/targetSummary';
import { accountCommand } from './accountCommand';
import { chooseTargetCommand } from './chooseTargetCommand';
import type { FeatureServices } from './featureServices';
import { newOperationCommand } from './newOperation';
import { presentFailure, type FailureContext } from './presentFailure';
import { previewRequestCommand } from './previewRequest';
import { registrationCommands, type RegistrationCommands } from './registrations/registrationsCommands';
import { RegistrationsTreeImpl } from './registrations/registrationsTree';
import { RunFiles } from './runs/runFiles';
import type { RunRecord } from './runs/runRecord';
import { runsCommands, type RunsCommands } from './runs/runsCommands';
import { RunStore } from './runs/runStore';
import { RunsTreeImpl } from './runs/runsTree';
import { readSettings } from '../shared/readSettings';
import { sendCommand, type SendFileResult } from './sendCommand';
import { signInCommand } from './signInCommand';
import { everythingStored } from './storedTexts';
import { SignInService } from './signIn/signInService';

export interface Features extends vscode.Disposable {
  send(uri?: unknown, uris?: unknown): Promise<SendFileResult[]>;
  chooseTarget(uri?: unknown): Promise<TargetSummary | undefined>;
  previewRequest(uri?: unknown): Promise<string | undefined>;
  signIn(): Promise<string | undefined>;
  account(): Promise<void>;
  newOperation(folder?: unknown): Promise<vscode.Uri | undefined>;
  /** The Registrations view's items (created on first use). */
  registrationsTree(): RegistrationsTree;
  readonly registrations: RegistrationCommands;
  /** The Runs view's items (created on first use; the runs are read from storage when first asked for). */
  runsTree(): TreeImplementation;
  readonly runs: RunsCommands & {
    /** Whether the runs were read from storage in this window. */
    loaded(): boolean;
    /** The runs as this window holds them. */
    list(): Promise<readonly RunRecord[]>;
    /** The runs as a new window would read them: a store of its own over the same folder. */
    readFresh(): Promise<readonly RunRecord[]>;
    /** Every file the runs wrote. */
    files(): Promise<string[]>;
    /** Everything the extension keeps, as text: each file of its storage folders, each of its stored states. */
    stored(): Promise<Array<{ where: string; text: string }>>;
  };
  /** The command wrapper's one way of telling the person what went wrong. */
  presentFailure(error: unknown, context: FailureContext): void;
}

export { mintSandboxToken } from './sandboxToken';

export type { SendFileResult };

/** Workspace storage, or global storage in a window without a folder: `runs/` there. */
function runsFolder(services: Services): string {
  return vscode.Uri.joinPath(services.context.storageUri ?? services.context.globalStorageUri, 'runs').fsPath;
}

export function createFeatures(services: Services): Features {
  const signIn = new SignInService(services);
  const stopAll = new AbortController();
  const runFiles = (): RunFiles =>
    new RunFiles(
      runsFolder(services),
      (text) => services.log.redact(text),
      (text) => services.log.warn(text),
    );
  const store = new RunStore(runFiles(), () => readSettings().runsKept);
  let tree: RegistrationsTreeImpl | undefined;
  let runs: RunsTreeImpl | undefined;
  const runsTree = (): RunsTreeImpl => (runs ??= new RunsTreeImpl(store, services.runsView));
  const featureServices: FeatureServices = {
    ...services,
    signIn,
    runs: {
      store,
      stopAll: stopAll.signal,
      show: (runId) => runsTree().reveal(runId),
      sentTo: (ids) => tree?.sentTo(ids),
    },
  };
  const registrationsTree = (): RegistrationsTreeImpl => (tree ??= new RegistrationsTreeImpl(featureServices));
  return {
    send: async (uri, uris) => {
      const results = await sendCommand(featureServices, uri, uris);
      tree?.sentTo(results.filter((r) => r.outcome === 'created' || r.outcome === 'unknown').flatMap((r) => (r.registrationId ? [r.registrationId] : [])));
      return results;
    },
    chooseTarget: (uri) => chooseTargetCommand(featureServices, uri),
    previewRequest: (uri) => previewRequestCommand(featureServices, uri),
    signIn: async () => {
      const account = await signInCommand(featureServices);
      if (account) tree?.refresh();
      return account;
    },
    account: () => accountCommand(featureServices),
    newOperation: (folder) => newOperationCommand(featureServices, folder),
    registrationsTree,
    registrations: registrationCommands(featureServices, registrationsTree),
    runsTree,
    runs: {
      ...runsCommands(featureServices, runsTree),
      loaded: () => store.loaded,
      list: () => store.all(),
      readFresh: () => new RunStore(runFiles(), () => readSettings().runsKept).all(),
      files: () => store.files.allFiles(),
      stored: () => everythingStored(services.context),
    },
    presentFailure: (error, context) => presentFailure(featureServices, error, context),
    dispose: () => {
      stopAll.abort();
      tree?.dispose();
      runs?.dispose();
      store.dispose();
      signIn.dispose();
    },
  };
}
