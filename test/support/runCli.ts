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
/** `executable`: run that program (an installed `intune-mao`) instead of this repository's bin, with node on the PATH. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, options: { cwd?: string; onSpawn?: (pid: number) => void; stdin?: string; onStderr?: (textSoFar: string) => void; executable?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete childEnv['INTUNE_MAO_ACCESS_TOKEN'];
    delete childEnv['INTUNE_MAO_GRAPH_URL'];
    delete childEnv['CI'];
    for (const name of ['INTUNE_MAO_CLIENT_ID', 'INTUNE_MAO_TENANT', 'INTUNE_MAO_LOGIN_URL']) delete childEnv[name];
    // The machine's own proxy settings must not reach the loopback emulators; a test sets them when it means to.
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']) delete childEnv[name];
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete childEnv[key]; else childEnv[key] = value;
    }
    if (options.executable) {
      childEnv['PATH'] = [dirname(process.execPath), childEnv['PATH']].filter(Boolean).join(delimiter);
      delete childEnv['NODE_PATH'];
    }
    const [command, commandArgs] = options.executable ? [options.executable, args] : [process.execPath, [bin, ...args]];
    const child = spawn(command, commandArgs, { cwd: options.cwd ?? repoRoot, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    options.onSpawn?.(child.pid!);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); options.onStderr?.(stderr); });
    child.stdin.end(options.stdin ?? '');
    child.on('error', reject);
    child.on('close', (code) => {
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
