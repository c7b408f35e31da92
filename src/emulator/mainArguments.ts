// The flags of `node dist/emulator.js`, turned into EmulatorOptions.
import { generateRegistrations } from './generatedTenant';
import type { EmulatorOptions, RandomFaults, WindowLimit } from './types';

export const USAGE = `Usage: node dist/emulator.js [options]
  --port N                   port on 127.0.0.1 (default: a free one)
  --page-size N              registrations and operations per page (default 5)
  --registrations N          a generated tenant of N registrations instead of the 12 samples
  --seed N                   seed of the generated tenant and of random faults (default 1)
  --app-limit W/S | off      writes per S seconds per app per tenant (default 100/20)
  --tenant-limit W/S | off   writes per S seconds per tenant (default 200/20)
  --retry-after-decimals D   decimals of Retry-After, 0 to 3 (default 3)
  --fault-probability P      chance (0 to 1) that an operation POST fails (default 0: none)
  --fault-statuses A,B       statuses of those failures (default 500,502,504)
  --fault-created-share S    share (0 to 1) of those failures that create the operation first
  --fault-reset-share S      share (0 to 1) of those failures that drop the connection
  --quiet                    do not print a line per request`;

export interface MainArguments {
  options: EmulatorOptions;
  quiet: boolean;
  /** How the tenant was made, for the start-up banner. */
  tenant: { generated: number; seed: number } | undefined;
}

function wholeNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new Error(`${flag} needs a whole number.`);
  return value;
}

function share(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1)) throw new Error(`${flag} needs a number from 0 to 1.`);
  return value;
}

/** `100/20` (writes per seconds, fractions allowed: `10/0.5`) or `off`. */
export function parseLimit(text: string, flag: string): WindowLimit | null {
  if (text === 'off') return null;
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text);
  const writes = match ? Number(match[1]) : NaN;
  const seconds = match ? Number(match[2]) : NaN;
  if (!match || writes < 1 || !(seconds > 0)) throw new Error(`${flag} needs <writes>/<seconds>, e.g. 100/20, or off.`);
  return { writesPerWindow: writes, windowMs: Math.round(seconds * 1000 * 1000) / 1000 };
}

const TAKES_VALUE = new Set([
  '--port',
  '--page-size',
  '--registrations',
  '--seed',
  '--app-limit',
  '--tenant-limit',
  '--retry-after-decimals',
  '--fault-probability',
  '--fault-statuses',
  '--fault-created-share',
  '--fault-reset-share',
]);

/** The parsed flags, USAGE for --help, or an error message. */
export function parseMainArguments(argv: string[]): MainArguments | { help: string } | { error: string } {
  const values = new Map<string, string>();
  let quiet = false;
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') return { help: USAGE };
    if (flag === '--quiet') {
      quiet = true;
      continue;
    }
    if (!TAKES_VALUE.has(flag)) return { error: `Unknown argument '${argv[index]}'.\n${USAGE}` };
    const text = inline ?? argv[++index];
    if (text === undefined) return { error: `${flag} needs a value.\n${USAGE}` };
    values.set(flag, text);
  }

  try {
    const options: EmulatorOptions = {};
    const get = (flag: string): string | undefined => values.get(flag);
    if (get('--port') !== undefined) options.port = wholeNumber(get('--port')!, '--port');
    if (get('--page-size') !== undefined) options.pageSize = wholeNumber(get('--page-size')!, '--page-size');
    const seed = get('--seed') === undefined ? 1 : wholeNumber(get('--seed')!, '--seed');
    let tenant: MainArguments['tenant'];
    if (get('--registrations') !== undefined) {
      const count = wholeNumber(get('--registrations')!, '--registrations');
      options.registrations = generateRegistrations(count, seed);
      tenant = { generated: count, seed };
    }
    const writeLimits: NonNullable<EmulatorOptions['writeLimits']> = {};
    if (get('--app-limit') !== undefined) writeLimits.perApp = parseLimit(get('--app-limit')!, '--app-limit');
    if (get('--tenant-limit') !== undefined) writeLimits.perTenant = parseLimit(get('--tenant-limit')!, '--tenant-limit');
    if (get('--retry-after-decimals') !== undefined) {
      writeLimits.retryAfterDecimals = wholeNumber(get('--retry-after-decimals')!, '--retry-after-decimals');
    }
    if (Object.keys(writeLimits).length > 0) options.writeLimits = writeLimits;

    if (get('--fault-probability') !== undefined) {
      const faults: RandomFaults = { probability: share(get('--fault-probability')!, '--fault-probability'), seed };
      const statuses = get('--fault-statuses');
      if (statuses !== undefined) faults.statuses = statuses.split(',').map((status) => wholeNumber(status.trim(), '--fault-statuses'));
      if (get('--fault-created-share') !== undefined) faults.createdShare = share(get('--fault-created-share')!, '--fault-created-share');
      if (get('--fault-reset-share') !== undefined) faults.resetShare = share(get('--fault-reset-share')!, '--fault-reset-share');
      options.randomFaults = faults;
    } else if (['--fault-statuses', '--fault-created-share', '--fault-reset-share'].some((flag) => values.has(flag))) {
      throw new Error('The --fault-* flags need --fault-probability.');
    }
    return { options, quiet, tenant };
  } catch (error) {
    return { error: `${error instanceof Error ? error.message : String(error)}\n${USAGE}` };
  }
}
