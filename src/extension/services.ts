import type * as vscode from 'vscode';
import type { AccountState } from './accountState';
import type { EmulatorAuthProvider } from './emulatorAuthProvider';
import type { IntuneLog } from './intuneLog';
import type { Ports } from './ports';
import type { PreviewDocuments } from './previewDocuments';
import type { RegistrationsView } from './registrationsView';
import type { RunsView } from './runsView';
import type { TargetStore } from './targetStore';

/** What the activation creates and everything else shares (dist/features.js receives it). */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: IntuneLog;
  /** Read at each use: the integration tests replace ports. */
  readonly ports: Ports;
  readonly accounts: AccountState;
  readonly targets: TargetStore;
  /** The side bar's Registrations view (its implementation lives in dist/features.js). */
  readonly registrationsView: RegistrationsView;
  /** The side bar's Runs view (likewise). */
  readonly runsView: RunsView;
  readonly emulatorAuth: EmulatorAuthProvider;
  readonly previews: PreviewDocuments;
  readonly version: string;
  /** The README, opened by "Open Setup Guide". */
  readonly setupGuide: vscode.Uri;
}
