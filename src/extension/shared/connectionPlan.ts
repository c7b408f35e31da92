import * as vscode from 'vscode';
import type { Cloud, GraphTarget } from '../core/index';
import { loadCore } from './loadCore';
import type { ExtensionSettings } from './settings';

export const emulatorProviderId = 'intune-mao-emulator';
export const graphPermission = 'DeviceManagementApps.ReadWrite.All';

/** A setting makes sending impossible (wrong Graph URL, sandbox sign-in without the emulator, …). */
export class SetupError extends Error {}

/** Where requests go and how the token for them is asked for: everything decided from user settings. */
export interface ConnectionPlan {
  readonly settings: ExtensionSettings;
  readonly cloud: Cloud;
  readonly target: GraphTarget;
  /** VS Code authentication provider id. */
  readonly providerId: string;
  /** Exactly what getSession receives. */
  readonly scopes: readonly string[];
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
    `${cloud.graphRoot}/${graphPermission}`,
  ];
}

export function planConnection(settings: ExtensionSettings): ConnectionPlan {
  const core = loadCore();
  let target: GraphTarget;
  try {
    target = core.resolveGraphTarget(settings.cloud, settings.graphUrl);
  } catch (error) {
    if (error instanceof core.GraphTargetError) throw new SetupError(vscode.l10n.t('Check the setting intuneMao.graphUrl: {0}', error.message));
    throw error;
  }
  const cloud = target.cloud;
  if (settings.signIn === 'emulator') {
    if (!target.isEmulator) {
      throw new SetupError(vscode.l10n.t('intuneMao.signIn is "emulator" (sandbox sign-in), which only works with the local emulator: set intuneMao.graphUrl to its loopback URL, or set intuneMao.signIn to "vscode".'));
    }
    return { settings, cloud, target, providerId: emulatorProviderId, scopes: [`${cloud.graphRoot}/${graphPermission}`] };
  }
  return { settings, cloud, target, providerId: cloud.authProviderId, scopes: signInScopes(settings, cloud) };
}
