import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';

/** Emulators a suite starts in-process, each closed after its test. Call inside a `describe`. */
export function emulatorsClosedAfterEach(): (options?: EmulatorOptions) => Promise<Emulator> {
  const started: Emulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  });
  return async (options = {}) => {
    const emulator = await startEmulator(options);
    started.push(emulator);
    return emulator;
  };
}

export interface EmulatorProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly token: string;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with its exit code. */
  readonly exited: Promise<number | null>;
}

/** `node dist`'s compiled emulator entry as a process, once it printed its URL and token. */
export async function startEmulatorProcess(args: string[]): Promise<EmulatorProcess> {
  const entry = path.resolve(__dirname, '../../src/emulator/main.js');
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = /Listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*EMULATOR TOKEN[^\n]*\n(\S+)\n/;
  while (!ready.test(output)) {
    if (child.exitCode !== null) throw new Error(`the emulator exited (${child.exitCode}) before it was ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const [, url, token] = ready.exec(output)!;
  return { child, url: url!, token: token!, output: () => output, exited };
}
