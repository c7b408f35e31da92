import type * as vscode from 'vscode';
import type { EmulatorAuthProvider } from './emulatorAuthProvider';
import type { IntuneLog } from './intuneLog';
import type { SignIn } from './signIn';
import type { TargetStore } from './targetStore';

/** What the commands share; built once in `activate`. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: IntuneLog;
  readonly signIn: SignIn;
  readonly targets: TargetStore;
  readonly emulatorAuth: EmulatorAuthProvider;
  readonly version: string;
  /** The README, opened by "Open Setup Guide". */
  readonly setupGuide: vscode.Uri;
}
