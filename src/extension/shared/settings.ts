import * as vscode from 'vscode';
import type { ApiVersion, CloudName } from '../core/index';

export const section = 'intuneMao';

/** Every setting id in one place; react to changes with `affects`. */
export const settingIds = {
  cloud: 'intuneMao.cloud',
  clientId: 'intuneMao.clientId',
  tenant: 'intuneMao.tenant',
  graphUrl: 'intuneMao.graphUrl',
  signIn: 'intuneMao.signIn',
  apiVersion: 'intuneMao.apiVersion',
  timeoutSeconds: 'intuneMao.timeoutSeconds',
  maxRetries: 'intuneMao.maxRetries',
} as const;

/** Settings that decide where the token goes: application scope, user settings only. */
export const userOnlySettings = [settingIds.cloud, settingIds.clientId, settingIds.tenant, settingIds.graphUrl, settingIds.signIn] as const;

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
}

const cloudNames: readonly string[] = ['global', 'usgov', 'usgovdod', 'china'];

/**
 * Reads the settings. Those that decide where the token goes are taken from user settings (or the default)
 * only, whatever a workspace's .vscode/settings.json says: `inspect` exposes each layer, and only
 * `globalValue` and `defaultValue` are read.
 */
export function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(section);
  const userValue = <T>(key: string): T | undefined => {
    const layers = config.inspect<T>(key);
    return layers?.globalValue ?? layers?.defaultValue;
  };
  const text = (key: string): string | undefined => {
    const value = userValue<unknown>(key);
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const cloud = text('cloud');
  const apiVersion = config.get<string>('apiVersion');
  const clientId = text('clientId');
  const tenant = text('tenant');
  const graphUrl = text('graphUrl');
  return {
    cloud: cloud && cloudNames.includes(cloud) ? (cloud as CloudName) : 'global',
    ...(clientId ? { clientId } : {}),
    ...(tenant ? { tenant } : {}),
    ...(graphUrl ? { graphUrl } : {}),
    signIn: text('signIn') === 'emulator' ? 'emulator' : 'vscode',
    apiVersion: apiVersion === 'v1.0' ? 'v1.0' : 'beta',
    timeoutSeconds: boundedNumber(config.get<number>('timeoutSeconds'), 5, 600, 100),
    maxRetries: boundedNumber(config.get<number>('maxRetries'), 0, 10, 3),
  };
}

export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return userOnlySettings.some((id) => event.affectsConfiguration(id));
}

function boundedNumber(value: number | undefined, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}
