import vscode = require('vscode');
import type { ApiVersion, CloudName } from '../../core/clouds';
import { boundedSetting, chosenSetting, flagSetting, parseRate, settings, userOnlySettingIds } from '../../core/settings';

export const section = 'intuneMao';

export type SignInMethod = 'vscode' | 'emulator';

export interface ExtensionSettings {
  readonly cloud: CloudName;
  readonly clientId?: string;
  readonly tenant?: string;
  /** Loopback URL of the local emulator, replacing the cloud's Graph root. */
  readonly graphUrl?: string;
  readonly signIn: SignInMethod;
  readonly apiVersion: ApiVersion;
  readonly timeoutSeconds: number;
  readonly maxRetries: number;
  /** At most `count` writes per `seconds`, for the engine's pacing. */
  readonly writeLimit: { readonly count: number; readonly seconds: number };
  readonly batching: boolean;
  /** How many runs the Runs view keeps. */
  readonly runsKept: number;
}

/**
 * Reads the settings. Those that decide where the token goes are taken from user settings (or the default)
 * only, whatever a workspace's .vscode/settings.json says: `inspect` exposes each layer, and only
 * `globalValue` and `defaultValue` are read.
 */
export function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration();
  const read = (definition: { id: string; userOnly: boolean }): unknown => {
    if (!definition.userOnly) return config.get(definition.id);
    const layers = config.inspect(definition.id);
    return layers?.globalValue ?? layers?.defaultValue;
  };
  const text = (definition: { id: string; userOnly: boolean }): string | undefined => {
    const value = read(definition);
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const clientId = text(settings.clientId);
  const tenant = text(settings.tenant);
  const graphUrl = text(settings.graphUrl);
  return {
    cloud: chosenSetting(settings.cloud, text(settings.cloud)),
    ...(clientId ? { clientId } : {}),
    ...(tenant ? { tenant } : {}),
    ...(graphUrl ? { graphUrl } : {}),
    signIn: chosenSetting(settings.signIn, text(settings.signIn)),
    apiVersion: chosenSetting(settings.apiVersion, read(settings.apiVersion)),
    timeoutSeconds: boundedSetting(settings.timeoutSeconds, read(settings.timeoutSeconds)),
    maxRetries: boundedSetting(settings.maxRetries, read(settings.maxRetries)),
    writeLimit: parseRate(settings.writeLimit, read(settings.writeLimit)) ?? parseRate(settings.writeLimit, settings.writeLimit.default)!,
    batching: flagSetting(settings.batching, read(settings.batching)),
    runsKept: boundedSetting(settings.runsKept, read(settings.runsKept)),
  };
}

/** A change to a setting that decides where the token goes, or how it is obtained. */
export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return userOnlySettingIds.some((id) => event.affectsConfiguration(id));
}
