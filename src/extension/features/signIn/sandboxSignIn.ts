import type { SignedInAccount } from '../../../core/tokenSource';
import { VsCodeSessionSignIn } from './vscodeSessionSignIn';
import type { ExtensionTokenSource } from './signInDeps';

/**
 * The local emulator's sandbox: VS Code's own "wants to sign in" prompt, through the extension's sandbox
 * provider (src/extension/emulatorAuthProvider.ts), with tokens only that emulator accepts.
 */
export class SandboxSignIn extends VsCodeSessionSignIn {
  override readonly via: ExtensionTokenSource['via'] = 'sandbox';

  constructor(...args: ConstructorParameters<typeof VsCodeSessionSignIn>) {
    super(...args);
    this.deps.emulatorAuth.ensureRegistered();
  }

  override async signOut(): Promise<readonly SignedInAccount[]> {
    await this.deps.emulatorAuth.removeAll();
    return super.signOut();
  }
}
