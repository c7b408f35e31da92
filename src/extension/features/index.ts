// dist/features.js: everything that runs because the person acted (commands, pickers, sign-in, the side bar's
// tree), loaded by dist/extension.js on the first command or when a view is first filled. It receives the
// activation's services and creates the rest here.
import type * as vscode from 'vscode';
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
import { sendCommand, type SendFileResult } from './sendCommand';
import { signInCommand } from './signInCommand';
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
  /** The command wrapper's one way of telling the person what went wrong. */
  presentFailure(error: unknown, context: FailureContext): void;
}

export { mintSandboxToken } from './sandboxToken';

export type { SendFileResult };

export function createFeatures(services: Services): Features {
  const signIn = new SignInService(services);
  const featureServices: FeatureServices = { ...services, signIn };
  let tree: RegistrationsTreeImpl | undefined;
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
    presentFailure: (error, context) => presentFailure(featureServices, error, context),
    dispose: () => {
      tree?.dispose();
      signIn.dispose();
    },
  };
}
