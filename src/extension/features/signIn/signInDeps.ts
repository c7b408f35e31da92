import type * as vscode from 'vscode';
import type { TokenSource } from '../../../core/tokenSource';
import type { AccountRecord } from '../../accountState';
import type { EmulatorAuthProvider } from '../../emulatorAuthProvider';
import type { IntuneLog } from '../../intuneLog';
import type { Ports } from '../../ports';

/** What a sign-in strategy may use. */
export interface SignInDeps {
  readonly ports: Ports;
  /** Window-independent state (the "signed out" choice). */
  readonly state: vscode.Memento;
  readonly secrets: vscode.SecretStorage;
  readonly log: IntuneLog;
  readonly emulatorAuth: EmulatorAuthProvider;
}

/** A token source of the extension, saying which kind of sign-in issues its tokens right now. */
export interface ExtensionTokenSource extends TokenSource, vscode.Disposable {
  readonly via: AccountRecord['via'];
}
