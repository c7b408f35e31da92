// dist/features.js: everything that runs because the person acted (commands, pickers, sign-in), loaded by
// dist/extension.js on the first command. It receives the activation's services and creates the rest here.
import type * as vscode from 'vscode';
import type { Services } from '../services';
import type { TargetSummary } from '../shared/targetSummary';
import { accountCommand } from './accountCommand';
import { chooseTargetCommand } from './chooseTargetCommand';
import type { FeatureServices } from './featureServices';
import { newOperationCommand } from './newOperation';
import { presentFailure, type FailureContext } from './presentFailure';
import { previewRequestCommand } from './previewRequest';
import { sendCommand, type SendFileResult } from './sendCommand';
import { SignInService } from './signIn/signInService';

export interface Features extends vscode.Disposable {
  send(uri?: unknown, uris?: unknown): Promise<SendFileResult[]>;
  chooseTarget(uri?: unknown): Promise<TargetSummary | undefined>;
  previewRequest(uri?: unknown): Promise<string | undefined>;
  account(): Promise<void>;
  newOperation(folder?: unknown): Promise<vscode.Uri | undefined>;
  /** The command wrapper's one way of telling the person what went wrong. */
  presentFailure(error: unknown, context: FailureContext): void;
}

export { mintSandboxToken } from './sandboxToken';

export type { SendFileResult };

export function createFeatures(services: Services): Features {
  const signIn = new SignInService(services);
  const featureServices: FeatureServices = { ...services, signIn };
  return {
    send: (uri, uris) => sendCommand(featureServices, uri, uris),
    chooseTarget: (uri) => chooseTargetCommand(featureServices, uri),
    previewRequest: (uri) => previewRequestCommand(featureServices, uri),
    account: () => accountCommand(featureServices),
    newOperation: (folder) => newOperationCommand(featureServices, folder),
    presentFailure: (error, context) => presentFailure(featureServices, error, context),
    dispose: () => signIn.dispose(),
  };
}
