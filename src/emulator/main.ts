// Command line entry: node dist/emulator.js [--port N] [--page-size N]
import { startEmulator } from './server';
import { sampleRegistrations } from './tenant';
import type { EmulatorOptions } from './types';

const USAGE = 'Usage: node dist/emulator.js [--port N] [--page-size N]';

function parseArguments(argv: string[]): EmulatorOptions | string {
  const options: EmulatorOptions = {};
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split('=', 2);
    if (flag === '--help' || flag === '-h') return USAGE;
    if (flag !== '--port' && flag !== '--page-size') return `Unknown argument '${argv[index]}'.\n${USAGE}`;
    const text = inline ?? argv[++index];
    const value = Number(text);
    if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
      return `${flag} needs a whole number.\n${USAGE}`;
    }
    if (flag === '--port') options.port = value;
    else options.pageSize = value;
  }
  return options;
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseArguments(argv);
  if (typeof parsed === 'string') {
    const isHelp = parsed === USAGE;
    (isHelp ? process.stdout : process.stderr).write(`${parsed}\n`);
    process.exitCode = isHelp ? 0 : 2;
    return;
  }

  const emulator = await startEmulator({ ...parsed, log: (line) => process.stdout.write(`[emulator] ${line}\n`) });
  process.stdout.write(
    [
      'Local Microsoft Graph emulator for intune-mao (a test double, not the real service).',
      `Listening on ${emulator.url}`,
      `  Graph roots:  ${emulator.url}/beta  and  ${emulator.url}/v1.0  (CLI: --graph-url ${emulator.url})`,
      `  Control:      ${emulator.url}/_emulator/  (faults, requests, token, reset, operations)`,
      `  Sample registration id: ${String(sampleRegistrations[0].id)}`,
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
