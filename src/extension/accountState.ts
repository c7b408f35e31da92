import vscode = require('vscode');
import type { CloudName } from '../core/clouds';

/** An account as the status bar shows it. Never a token. */
export interface AccountRecord {
  readonly label: string;
  readonly tenantId?: string;
  readonly cloud: CloudName;
  /** Whether it signed in to the local emulator (the sandbox) rather than a cloud. */
  readonly emulator: boolean;
  /** How it signed in: 'vscode' (VS Code's provider), 'device-code', 'sandbox'. */
  readonly via: 'vscode' | 'device-code' | 'sandbox';
}

const lastUsedKey = 'intuneMao.lastAccount';

/**
 * Who is signed in for Intune in this window, and who was last time. The last account is remembered so the
 * status bar can name it without asking VS Code's sign-in (which would start the Microsoft sign-in extension
 * in every window that merely opens a *.mao.json).
 */
export class AccountState implements vscode.Disposable {
  private currentAccount: AccountRecord | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  /** Signed in during this session of the window. */
  get current(): AccountRecord | undefined {
    return this.currentAccount;
  }

  /** The account of the last sign-in, from any earlier window. */
  get lastUsed(): AccountRecord | undefined {
    const value = this.state.get<AccountRecord>(lastUsedKey);
    return value && typeof value.label === 'string' ? value : undefined;
  }

  async signedIn(account: AccountRecord): Promise<void> {
    const same = this.currentAccount && JSON.stringify(this.currentAccount) === JSON.stringify(account);
    this.currentAccount = account;
    if (!same) this.changed.fire();
    await this.state.update(lastUsedKey, account);
  }

  /** The session ended (sign-out, or VS Code's sessions changed): nobody is signed in any more. */
  async signedOut(forgetLastUsed: boolean): Promise<void> {
    this.currentAccount = undefined;
    if (forgetLastUsed) await this.state.update(lastUsedKey, undefined);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
