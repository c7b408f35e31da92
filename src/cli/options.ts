import { parseArgs } from 'node:util';
import { apiVersions, cloudNames, isApiVersion, isCloudName, type ApiVersion, type CloudName } from '../core/clouds';

export class UsageError extends Error {}

export const connectionOptions = {
  'api-version': { type: 'string' },
  cloud: { type: 'string' },
  'graph-url': { type: 'string' },
  timeout: { type: 'string' },
  'max-retries': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ConnectionSettings {
  readonly apiVersion: ApiVersion;
  readonly cloud: CloudName;
  readonly graphUrl?: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly json: boolean;
  readonly verbose: boolean;
}

type ParseConfig = NonNullable<Parameters<typeof parseArgs>[0]>;

export function parseCommandArgs<T extends NonNullable<ParseConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function connectionSettings(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): ConnectionSettings {
  const apiVersion = (values['api-version'] as string | undefined) ?? 'beta';
  if (!isApiVersion(apiVersion)) {
    throw new UsageError(`--api-version must be one of ${apiVersions.join(', ')}`);
  }
  const cloud = (values['cloud'] as string | undefined) ?? 'global';
  if (!isCloudName(cloud)) {
    throw new UsageError(`--cloud must be one of ${cloudNames.join(', ')}`);
  }
  const graphUrl = (values['graph-url'] as string | undefined) ?? (env['INTUNE_MAO_GRAPH_URL'] || undefined);
  return {
    apiVersion,
    cloud,
    ...(graphUrl ? { graphUrl } : {}),
    timeoutMs: numberOption(values['timeout'], '--timeout', 100, 0.1, 3600) * 1000,
    maxRetries: numberOption(values['max-retries'], '--max-retries', 3, 0, 10, true),
    json: values['json'] === true,
    verbose: values['verbose'] === true,
  };
}

function numberOption(value: unknown, name: string, fallback: number, min: number, max: number, integer = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return n;
}
