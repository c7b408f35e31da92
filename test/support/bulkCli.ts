import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRegistrations, startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';
import { runCli, type CliRun } from './runCli';

/** An emulator with a generated tenant, a folder for files and journals, and the CLI run against them. */
export class BulkCliFixture {
  emulator!: Emulator;
  token!: string;
  ids!: string[];
  dir!: string;
  private readonly runs: CliRun[] = [];

  constructor(
    private readonly registrations: number,
    private readonly options: EmulatorOptions = {},
  ) {}

  async start(): Promise<void> {
    const generated = generateRegistrations(this.registrations, 5);
    this.emulator = await startEmulator({ registrations: generated, pageSize: 50, ...this.options });
    this.token = this.emulator.mintToken();
    this.ids = generated.map((registration) => String(registration.id));
  }

  beforeEach(): void {
    this.emulator.reset();
    this.dir = mkdtempSync(join(tmpdir(), 'mao-bulk-'));
  }

  /** After each test: no output and no journal in the folder ever held the token. */
  afterEach(): void {
    for (const run of this.runs.splice(0)) {
      assert.ok(!run.stdout.includes(this.token) && !run.stderr.includes(this.token), 'the token appeared in the CLI output');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  file(name: string, content: unknown): string {
    const path = join(this.dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  journalText(name: string): string {
    const text = readFileSync(this.path(name), 'utf8');
    assert.ok(!text.includes(this.token), 'the token appeared in the journal');
    return text;
  }

  async cli(args: string[], env: Record<string, string | undefined> = {}, options: Parameters<typeof runCli>[2] = {}): Promise<CliRun> {
    const run = await runCli(args, { INTUNE_MAO_ACCESS_TOKEN: this.token, INTUNE_MAO_BACKOFF_BASE_MS: '20', INTUNE_MAO_SETTLE_MS: '0', ...env }, options);
    this.runs.push(run);
    return run;
  }

  /** `send` to the emulator with --json, and the registrations given as --registration flags. */
  send(files: string[], targets: string[], ...extra: string[]): Promise<CliRun> {
    return this.cli(['send', ...files, ...targets.flatMap((id) => ['--registration', id]), '--graph-url', this.emulator.url, '--json', ...extra]);
  }

  posts() {
    return this.emulator.requests.filter((request) => request.method === 'POST');
  }

  counts(targets: readonly string[]): number[] {
    return targets.map((id) => this.emulator.operationsOf(id).length);
  }

  async close(): Promise<void> {
    await this.emulator.close();
  }
}

/** Waits (a generous deadline: a busy machine) until `done()`. */
export async function waitFor(done: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
