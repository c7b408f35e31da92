import { parseArgs } from 'node:util';
import { apiVersions, cloudNames, clouds, isApiVersion, isCloudName, type ApiVersion, type CloudName } from '../core/clouds';
import { isClientId, LoginAuthorityError, resolveLoginAuthority } from '../core/loginAuthority';
import { settings, type NumberSetting } from '../core/settings';

export class UsageError extends Error {}

/** How the CLI signs in when INTUNE_MAO_ACCESS_TOKEN is not set. */
export const signInOptions = {
  cloud: { type: 'string' },
  'client-id': { type: 'string' },
  tenant: { type: 'string' },
  'login-url': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const connectionOptions = {
  ...signInOptions,
  'api-version': { type: 'string' },
  'graph-url': { type: 'string' },
  timeout: { type: 'string' },
  'max-retries': { type: 'string' },
} as const;

export interface SignInSettings {
  readonly cloud: CloudName;
  /** Application (client) ID of the organisation's own app registration: enables the device code sign-in. */
  readonly clientId?: string;
  readonly tenant?: string;
  /** Loopback https URL of a local identity emulator replacing the cloud's sign-in host. */
  readonly loginUrl?: string;
  readonly json: boolean;
  readonly verbose: boolean;
}

export interface ConnectionSettings extends SignInSettings {
  readonly apiVersion: ApiVersion;
  readonly graphUrl?: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

type ParseConfig = NonNullable<Parameters<typeof parseArgs>[0]>;

export function parseCommandArgs<T extends NonNullable<ParseConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

type OptionValues = Record<string, string | boolean | string[] | undefined>;

export function signInSettings(values: OptionValues, env: NodeJS.ProcessEnv): SignInSettings {
  const cloud = (values['cloud'] as string | undefined) ?? settings.cloud.default;
  if (!isCloudName(cloud)) {
    throw new UsageError(`--cloud must be one of ${cloudNames.join(', ')}`);
  }
  const text = (flag: string, variable: string): string | undefined => ((values[flag] as string | undefined) ?? env[variable])?.trim() || undefined;
  const clientId = text('client-id', 'INTUNE_MAO_CLIENT_ID');
  if (clientId && !isClientId(clientId)) {
    throw new UsageError(`--client-id must be the Application (client) ID (a GUID) of your app registration, not ${JSON.stringify(clientId.slice(0, 80))}`);
  }
  const tenant = text('tenant', 'INTUNE_MAO_TENANT');
  const loginUrl = text('login-url', 'INTUNE_MAO_LOGIN_URL');
  try {
    resolveLoginAuthority(clouds[cloud], tenant, loginUrl);
  } catch (error) {
    if (error instanceof LoginAuthorityError) throw new UsageError(error.message);
    throw error;
  }
  return {
    cloud,
    ...(clientId ? { clientId } : {}),
    ...(tenant ? { tenant } : {}),
    ...(loginUrl ? { loginUrl } : {}),
    json: values['json'] === true,
    verbose: values['verbose'] === true,
  };
}

export function connectionSettings(values: OptionValues, env: NodeJS.ProcessEnv): ConnectionSettings {
  const apiVersion = (values['api-version'] as string | undefined) ?? settings.apiVersion.default;
  if (!isApiVersion(apiVersion)) {
    throw new UsageError(`--api-version must be one of ${apiVersions.join(', ')}`);
  }
  const graphUrl = (values['graph-url'] as string | undefined) ?? (env['INTUNE_MAO_GRAPH_URL'] || undefined);
  return {
    ...signInSettings(values, env),
    apiVersion,
    ...(graphUrl ? { graphUrl } : {}),
    timeoutMs: numberOption(values['timeout'], settings.timeoutSeconds) * 1000,
    maxRetries: numberOption(values['max-retries'], settings.maxRetries),
  };
}

/** A flag's number, refused outside the bounds the extension's setting of the same meaning has. */
function numberOption(value: unknown, definition: NumberSetting & { flag: string }): number {
  if (value === undefined) return definition.default;
  const n = Number(value);
  if (!Number.isFinite(n) || n < definition.minimum || n > definition.maximum || (definition.integer && !Number.isInteger(n))) {
    throw new UsageError(
      `${definition.flag} must be ${definition.integer ? 'a whole number' : 'a number'} from ${definition.minimum} to ${definition.maximum}`,
    );
  }
  return n;
}
