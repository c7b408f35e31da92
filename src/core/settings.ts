import { apiVersions, cloudNames } from './clouds';

/**
 * Every setting of the product in one table: the extension's setting id (as contributed in package.json), the
 * CLI flag that means the same, the default and the bounds. The extension, the CLI and the Graph client read
 * their defaults and limits from here, and a test holds package.json's `contributes.configuration` against it.
 */
interface SettingBase {
  /** The VS Code setting id. */
  readonly id: string;
  /** The CLI flag with the same meaning, when there is one. */
  readonly flag?: string;
  /**
   * Decides where the token goes or how it is obtained: read from user settings only (scope `application`),
   * never from a workspace, and restricted in untrusted workspaces.
   */
  readonly userOnly: boolean;
}

export interface ChoiceSetting<T extends string = string> extends SettingBase {
  readonly kind: 'choice';
  readonly values: readonly T[];
  readonly default: T;
}

export interface TextSetting extends SettingBase {
  readonly kind: 'text';
  readonly default: '';
  readonly pattern?: string;
}

export interface NumberSetting extends SettingBase {
  readonly kind: 'number';
  readonly default: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly integer: boolean;
}

/** A number of events per a number of seconds, written `<count>/<seconds>` (e.g. `100/20`). */
export interface RateSetting extends SettingBase {
  readonly kind: 'rate';
  readonly default: string;
  readonly pattern: string;
  readonly minimumCount: number;
  readonly maximumCount: number;
  readonly minimumSeconds: number;
  readonly maximumSeconds: number;
}

/** On or off. */
export interface FlagSetting extends SettingBase {
  readonly kind: 'flag';
  readonly default: boolean;
}

export type SettingDefinition = ChoiceSetting | TextSetting | NumberSetting | RateSetting | FlagSetting;

const guidPattern = '^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const settings = {
  cloud: { id: 'intuneMao.cloud', flag: '--cloud', kind: 'choice', values: cloudNames, default: 'global', userOnly: true },
  clientId: { id: 'intuneMao.clientId', flag: '--client-id', kind: 'text', default: '', pattern: guidPattern, userOnly: true },
  tenant: { id: 'intuneMao.tenant', flag: '--tenant', kind: 'text', default: '', userOnly: true },
  signIn: { id: 'intuneMao.signIn', kind: 'choice', values: ['vscode', 'emulator'], default: 'vscode', userOnly: true },
  graphUrl: { id: 'intuneMao.graphUrl', flag: '--graph-url', kind: 'text', default: '', userOnly: true },
  apiVersion: { id: 'intuneMao.apiVersion', flag: '--api-version', kind: 'choice', values: apiVersions, default: 'beta', userOnly: false },
  timeoutSeconds: {
    id: 'intuneMao.timeoutSeconds',
    flag: '--timeout',
    kind: 'number',
    default: 100,
    minimum: 0.5,
    maximum: 600,
    integer: false,
    userOnly: false,
  },
  maxRetries: {
    id: 'intuneMao.maxRetries',
    flag: '--max-retries',
    kind: 'number',
    default: 3,
    minimum: 0,
    maximum: 10,
    integer: true,
    userOnly: false,
  },
  // Intune's documented limit for managed app writes: 100 per 20 s per app per tenant.
  writeLimit: {
    id: 'intuneMao.writeLimit',
    flag: '--write-limit',
    kind: 'rate',
    default: '100/20',
    pattern: '^[0-9]+/[0-9]+(\\.[0-9]+)?$',
    minimumCount: 1,
    maximumCount: 10_000,
    minimumSeconds: 0.1,
    maximumSeconds: 3600,
    userOnly: false,
  },
  // Off: Microsoft does not document whether Intune's deviceAppManagement paths accept $batch (see the README).
  batching: { id: 'intuneMao.batching', flag: '--batch', kind: 'flag', default: false, userOnly: false },
  /** The extension's Runs view: how many runs (with their journals) a workspace keeps. */
  runsKept: { id: 'intuneMao.runsKept', kind: 'number', default: 50, minimum: 1, maximum: 1000, integer: true, userOnly: false },
} as const satisfies Record<string, SettingDefinition>;

export type SettingName = keyof typeof settings;

/** The setting ids whose values decide where the token goes. */
export const userOnlySettingIds: readonly string[] = Object.values(settings)
  .filter((s) => s.userOnly)
  .map((s) => s.id);

/** A number within the setting's bounds (rounded when it must be whole), or its default when it is not a number. */
export function boundedSetting(definition: NumberSetting, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return definition.default;
  const bounded = Math.min(definition.maximum, Math.max(definition.minimum, value));
  return definition.integer ? Math.round(bounded) : bounded;
}

/** The value when it is a boolean, else the setting's default. */
export function flagSetting(definition: FlagSetting, value: unknown): boolean {
  return typeof value === 'boolean' ? value : definition.default;
}

/** The value when it is one of the setting's choices, else its default. */
export function chosenSetting<T extends string>(definition: ChoiceSetting<T>, value: unknown): T {
  return typeof value === 'string' && (definition.values as readonly string[]).includes(value) ? (value as T) : definition.default;
}

/** `<count>/<seconds>` within the setting's bounds, or undefined when the text is not one. */
export function parseRate(definition: RateSetting, text: unknown): { count: number; seconds: number } | undefined {
  if (typeof text !== 'string' || !new RegExp(definition.pattern).test(text.trim())) return undefined;
  const [count, seconds] = text.trim().split('/').map(Number) as [number, number];
  const fits =
    Number.isInteger(count) &&
    count >= definition.minimumCount &&
    count <= definition.maximumCount &&
    seconds >= definition.minimumSeconds &&
    seconds <= definition.maximumSeconds;
  return fits ? { count, seconds } : undefined;
}
