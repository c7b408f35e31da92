import type { TokenRequest } from '../../../core/graphClient';
import type { SignInFailure } from '../../../core/signInFailure';
import type { IssuedToken, SignedInAccount } from '../../../core/tokenSource';
import type { ExtensionTokenSource, SignInDeps } from './signInDeps';

/**
 * VS Code's provider first; where it proves unavailable in this host (some web and remote builds), the device
 * code sign-in with the configured client id takes over for as long as this source lives (until the
 * connection settings change).
 */
export class ProviderOrDeviceCode implements ExtensionTokenSource {
  private fallback: ExtensionTokenSource | undefined;

  constructor(
    private readonly provider: ExtensionTokenSource,
    private readonly createFallback: () => ExtensionTokenSource,
    private readonly deps: SignInDeps,
    private readonly providerId: string,
    private readonly clientId: string,
  ) {}

  get via(): ExtensionTokenSource['via'] {
    return this.fallback?.via ?? this.provider.via;
  }

  getToken(request: TokenRequest, signal?: AbortSignal): Promise<IssuedToken> {
    return this.either((source) => source.getToken(request, signal));
  }

  quietAccount(): Promise<SignedInAccount | undefined> {
    return this.either((source) => source.quietAccount());
  }

  switchAccount(signal?: AbortSignal): Promise<SignedInAccount> {
    return this.either((source) => source.switchAccount(signal));
  }

  signOut(): Promise<readonly SignedInAccount[]> {
    return (this.fallback ?? this.provider).signOut();
  }

  dispose(): void {
    this.provider.dispose();
    this.fallback?.dispose();
  }

  private async either<T>(step: (source: ExtensionTokenSource) => Promise<T>): Promise<T> {
    if (this.fallback) return step(this.fallback);
    try {
      return await step(this.provider);
    } catch (error) {
      if ((error as SignInFailure).reason !== 'unavailable') throw error;
      this.deps.log.debug(`[auth] ${(error as Error).message}`);
      this.deps.log.warn(`[auth] VS Code cannot sign in with "${this.providerId}" here; signing in with a device code instead (client id ${this.clientId}).`);
      this.fallback = this.createFallback();
      return step(this.fallback);
    }
  }
}
