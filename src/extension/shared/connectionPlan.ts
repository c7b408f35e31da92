import { l10n } from 'vscode';
import { GraphTargetError, resolveGraphTarget, type Cloud, type GraphTarget } from '../../core/clouds';
import { SetupFailure } from '../../core/failures';
import { intunePermission, intuneScope } from '../../core/graphPermissions';
import { readSettings, type ExtensionSettings } from './readSettings';

export const emulatorProviderId = 'intune-mao-emulator';
export const graphPermission = intunePermission;

/**
 * Where the token comes from:
 * - sandbox: the local emulator's sign-in provider (`intuneMao.signIn: "emulator"`);
 * - vscode-session: VS Code's Microsoft (or sovereign cloud) provider;
 * - vscode-session-or-device-code: the same, falling back to a device code sign-in with the configured client id
 *   where VS Code's provider is missing or cannot finish (some web and remote hosts).
 */
export type TokenSourceKind = 'sandbox' | 'vscode-session' | 'vscode-session-or-device-code';

/** Where requests go and how the token for them is asked for: everything decided from user settings. */
export interface ConnectionPlan {
  readonly settings: ExtensionSettings;
  readonly cloud: Cloud;
  readonly target: GraphTarget;
  readonly tokenSource: TokenSourceKind;
  /** VS Code authentication provider id. */
  readonly providerId: string;
  /** Exactly what getSession receives. */
  readonly scopes: readonly string[];
  /** Equal for two plans that sign in the same way (the token source is reused between them). */
  readonly signInKey: string;
}

/**
 * Scopes for VS Code's Microsoft provider: `VSCODE_CLIENT_ID:` and `VSCODE_TENANT:` each as their own
 * element (only when set), then the permission on the cloud's real Graph root, even when requests go to
 * the emulator (the token's audience is Graph).
 */
export function signInScopes(settings: Pick<ExtensionSettings, 'clientId' | 'tenant'>, cloud: Cloud): string[] {
  return [
    ...(settings.clientId ? [`VSCODE_CLIENT_ID:${settings.clientId}`] : []),
    ...(settings.tenant ? [`VSCODE_TENANT:${settings.tenant}`] : []),
    intuneScope(cloud),
  ];
}

export function planConnection(settings: ExtensionSettings): ConnectionPlan {
  let target: GraphTarget;
  try {
    target = resolveGraphTarget(settings.cloud, settings.graphUrl);
  } catch (error) {
    if (error instanceof GraphTargetError) throw new SetupFailure(l10n.t('Check the setting intuneMao.graphUrl: {0}', error.message), 'intuneMao.graphUrl');
    throw error;
  }
  const cloud = target.cloud;
  const plan = (tokenSource: TokenSourceKind, providerId: string, scopes: string[]): ConnectionPlan => ({
    settings,
    cloud,
    target,
    tokenSource,
    providerId,
    scopes,
    signInKey: [tokenSource, providerId, ...scopes, cloud.name, target.root].join('|'),
  });
  if (settings.signIn === 'emulator') {
    if (!target.isEmulator) {
      throw new SetupFailure(
        l10n.t(
          'intuneMao.signIn is "emulator" (sandbox sign-in), which only works with the local emulator: set intuneMao.graphUrl to its loopback URL, or set intuneMao.signIn to "vscode".',
        ),
        'intuneMao.signIn',
      );
    }
    return plan('sandbox', emulatorProviderId, [intuneScope(cloud)]);
  }
  return plan(settings.clientId ? 'vscode-session-or-device-code' : 'vscode-session', cloud.authProviderId, signInScopes(settings, cloud));
}

/** The connection the user's settings describe; throws a SetupFailure saying what to fix in them. */
export function planFromSettings(): ConnectionPlan {
  return planConnection(readSettings());
}
