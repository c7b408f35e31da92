// Command line entry: node dist/emulator.js [--port N] [--page-size N] [--registrations N] ... (see --help)
import { parseMainArguments } from './mainArguments';
import { startEmulator } from './server';
import { sampleIds } from './sampleIds';
import type { WindowLimit } from './types';

function describeLimit(limit: WindowLimit | null): string {
  return limit ? `${limit.writesPerWindow} writes / ${limit.windowMs / 1000} s` : 'none';
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseMainArguments(argv);
  if ('help' in parsed) {
    process.stdout.write(`${parsed.help}\n`);
    return;
  }
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\n`);
    process.exitCode = 2;
    return;
  }

  const log = parsed.quiet ? undefined : (line: string): void => void process.stdout.write(`[emulator] ${line}\n`);
  const emulator = await startEmulator({ ...parsed.options, ...(log ? { log } : {}) });
  const limits = emulator.writeLimits();
  const registrations = parsed.options.registrations;
  const tenantLine = parsed.tenant
    ? `  Tenant:       ${parsed.tenant.generated} generated registrations (seed ${parsed.tenant.seed})${registrations?.length ? `, first id ${String(registrations[0].id)}` : ''}`
    : `  Tenant:       the 12 sample registrations, e.g. ${sampleIds.registrations.meganAndroidOutlook}`;
  const faults = parsed.options.randomFaults;
  process.stdout.write(
    [
      'Local Microsoft Graph emulator for intune-mao (a test double, not the real service).',
      `Listening on ${emulator.url}`,
      `  Graph roots:  ${emulator.url}/beta  and  ${emulator.url}/v1.0  (CLI: --graph-url ${emulator.url})`,
      `  Control:      ${emulator.url}/_emulator/  (faults, random-faults, limits, stats, registrations, requests, token, reset, operations)`,
      tenantLine,
      `  Write limits: ${describeLimit(limits.perApp)} per app per tenant, ${describeLimit(limits.perTenant)} per tenant`,
      ...(faults ? [`  Random faults: ${faults.probability} of operation POSTs fail (seed ${faults.seed ?? 1})`] : []),
      '',
      'EMULATOR TOKEN (unsigned, valid for one hour, accepted only by this emulator; POST /_emulator/token for another):',
      emulator.mintToken(),
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`Received ${signal}, stopping the emulator.\n`);
    void emulator.close().then(() => {
      process.exitCode = 0;
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`The emulator could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
