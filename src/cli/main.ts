import { isIntuneFailure, type IntuneFailure } from '../core/failures';
import { loginCommand, loginUsage, logoutCommand, logoutUsage, whoamiCommand, whoamiUsage } from './commands/account';
import { operationsCommand, operationsUsage, registrationsCommand, registrationsUsage } from './commands/list';
import { sendCommand, sendUsage } from './commands/send';
import { validateCommand, validateUsage } from './commands/validate';
import { UsageError } from './options';
import { Terminal, type Streams } from './terminal';
import { version } from '../../package.json';

const usage = `intune-mao ${version}: send Intune managed app operations (*.mao.json) through Microsoft Graph

usage:
  ${validateUsage}
  ${sendUsage}
  ${registrationsUsage}
  ${operationsUsage}
  ${loginUsage}
  ${whoamiUsage}
  ${logoutUsage}

Signing in: a token in INTUNE_MAO_ACCESS_TOKEN is used as it is. Without one, --client-id (or INTUNE_MAO_CLIENT_ID)
signs in with a device code: the Application (client) ID of your own Entra app registration, with the delegated
Graph permission DeviceManagementApps.ReadWrite.All (admin-consented) and "Allow public client flows" on. The code
is shown on stderr; tokens are kept in $XDG_CONFIG_HOME/intune-mao/msal-cache.json (~/.config without it), readable
by you only. --tenant (INTUNE_MAO_TENANT) picks the tenant, "organizations" by default. --graph-url and --login-url
take loopback URLs only (the local emulators).

Behind a proxy: HTTPS_PROXY (https_proxy, ALL_PROXY) as http://[user:password@]host:port is used for Graph and the
sign-in host, through CONNECT (TLS end to end); NO_PROXY lists hosts to reach directly (curl's rules: a comma list of
domains (suffixes), IP addresses or CIDR ranges, host:port, or *). Loopback (the local emulators) is always reached
directly, so HTTP_PROXY, which only applies to http:// URLs, never does in practice.

Exit codes: 0 done, 1 a definite failure (nothing created), 2 usage, validation or sign-in problem (nothing sent),
3 an outcome is unknown (check before sending again), 141 the reader of standard output went away (| head).`;

export async function main(argv: string[], streams: Streams, signal: AbortSignal, stopNow?: AbortSignal): Promise<number> {
  const terminal = new Terminal(streams);
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'validate':
        return await validateCommand(args, terminal, streams.stdin);
      case 'send':
        return await sendCommand(args, terminal, streams.env, signal, streams.stdin, stopNow);
      case 'registrations':
        return await registrationsCommand(args, terminal, streams.env, signal);
      case 'operations':
        return await operationsCommand(args, terminal, streams.env, signal);
      case 'login':
        return await loginCommand(args, terminal, streams.env, signal);
      case 'whoami':
        return await whoamiCommand(args, terminal, streams.env);
      case 'logout':
        return await logoutCommand(args, terminal, streams.env);
      case '--version':
      case '-v':
        terminal.out(version);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        terminal.outBlock(usage);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      terminal.err(terminal.style('red', `intune-mao: ${error.message}`, 'err'));
      terminal.err(`Run "intune-mao --help" for usage.`);
      return 2;
    }
    if (isIntuneFailure(error)) return reportFailure(error, terminal);
    terminal.errBlock(terminal.style('red', `intune-mao: unexpected error: ${(error as Error).stack ?? String(error)}`));
    return 1;
  }
}

/**
 * The CLI's words and exit code for each kind of failure (src/core/failures.ts): all but a refused read stop
 * before anything was sent (exit 2); Graph refusing a read is a definite failure (exit 1).
 */
function reportFailure(failure: IntuneFailure, terminal: Terminal): number {
  terminal.err(terminal.style('red', `intune-mao: ${failure.message}`, 'err'));
  switch (failure.kind) {
    case 'setup':
    case 'sign-in':
    case 'permission':
    case 'unsafe-destination':
      terminal.err('Nothing was sent.');
      return 2;
    case 'graph':
      return 1;
  }
}

/** The reader of standard output went away (`| head -1`): the code a program ended by SIGPIPE reports. */
export const readerGoneExitCode = 128 + 13;

/** Entry point of the `intune-mao` binary. */
export function run(): void {
  const readerGone = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(readerGoneExitCode);
  };
  process.stdout.on('error', readerGone);
  process.stderr.on('error', readerGone);
  // A first signal stops starting new work (a send lets what is in flight finish, briefly); a second stops
  // what is in flight; a third leaves at once. SIGTERM and SIGHUP (a CI cancelling a job, timeout(1)) count
  // like Ctrl+C, so that the results so far are printed.
  const stop = new AbortController();
  const stopNow = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      process.stderr.write(`\n${name === 'SIGINT' ? 'Cancelling' : `Cancelling (${name})`}… (press Ctrl+C again to stop what is in flight at once)\n`);
      stop.abort(name);
    } else if (signals === 2) {
      process.stderr.write('\nStopping what is in flight: its outcome is left unknown.\n');
      stopNow.abort(name);
    } else {
      process.exit(name === 'SIGTERM' ? 143 : name === 'SIGHUP' ? 129 : 130);
    }
  };
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, onSignal);
  main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }, stop.signal, stopNow.signal).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
