import { spawn } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');
const bin = join(repoRoot, 'bin', 'intune-mao.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as one JSON object a line. */
  readonly lines: Record<string, any>[];
}

/** Runs the built CLI as a separate process, the way a pipeline does. */
export interface CliOptions {
  readonly cwd?: string;
  readonly onSpawn?: (pid: number) => void;
  readonly stdin?: string;
  readonly onStderr?: (textSoFar: string) => void;
  /** Read this many lines of standard output, then close it, as `| head -n` does; then call onStdoutClosed. */
  readonly closeStdoutAfterLines?: number;
  readonly onStdoutClosed?: () => void;
  /** A CLI still running after this long is killed (code null), so a hang fails its test and leaves no process behind. */
  readonly deadlineMs?: number;
  /** Run that program (an installed `intune-mao`) instead of this repository's bin, with node on the PATH. */
  readonly executable?: string;
}

const defaultDeadlineMs = 25_000;

export function runCli(args: string[], env: Record<string, string | undefined> = {}, options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete childEnv['INTUNE_MAO_ACCESS_TOKEN'];
    delete childEnv['INTUNE_MAO_GRAPH_URL'];
    delete childEnv['CI'];
    for (const name of ['INTUNE_MAO_CLIENT_ID', 'INTUNE_MAO_TENANT', 'INTUNE_MAO_LOGIN_URL']) delete childEnv[name];
    // The machine's own proxy settings must not reach the loopback emulators; a test sets them when it means to.
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']) delete childEnv[name];
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete childEnv[key];
      else childEnv[key] = value;
    }
    if (options.executable) {
      childEnv['PATH'] = [dirname(process.execPath), childEnv['PATH']].filter(Boolean).join(delimiter);
      delete childEnv['NODE_PATH'];
    }
    const [command, commandArgs] = options.executable ? [options.executable, args] : [process.execPath, [bin, ...args]];
    const child = spawn(command, commandArgs, { cwd: options.cwd ?? repoRoot, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    options.onSpawn?.(child.pid!);
    const deadline = setTimeout(() => child.kill('SIGKILL'), options.deadlineMs ?? defaultDeadlineMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const wanted = options.closeStdoutAfterLines;
      if (wanted !== undefined && stdout.split('\n').length > wanted) {
        stdout = stdout.split('\n').slice(0, wanted).join('\n') + '\n';
        child.stdout.destroy();
        options.onStdoutClosed?.();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr);
    });
    child.stdin.end(options.stdin ?? '');
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      const lines = stdout.split('\n').flatMap((line) => {
        try {
          const value: unknown = JSON.parse(line);
          return typeof value === 'object' && value !== null ? [value as Record<string, any>] : [];
        } catch {
          return [];
        }
      });
      resolve({ code, stdout, stderr, lines });
    });
  });
}
