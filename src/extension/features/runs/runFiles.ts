import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from './runRecord';

const runSuffix = '.run.json';
const journalSuffix = '.journal.ndjson';

/**
 * Where the runs live: one `<id>.run.json` and one `<id>.journal.ndjson` per run, in a folder of the
 * extension's storage. Everything written passes through `redact` first (the log's redactor, which knows
 * every token the extension obtained), although nothing written is meant to hold one.
 */
export class RunFiles {
  private writing = Promise.resolve();

  constructor(
    readonly folder: string,
    private readonly redact: (text: string) => string,
    private readonly warn: (text: string) => void,
  ) {}

  journalPath(id: string): string {
    return path.join(this.folder, `${id}${journalSuffix}`);
  }

  async ensureFolder(): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true, mode: 0o700 });
  }

  /** Every run kept, newest first; a file that cannot be read is left out (and said so in the log). */
  async readAll(): Promise<RunRecord[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.folder);
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw error;
    }
    const runs: RunRecord[] = [];
    for (const name of names.filter((n) => n.endsWith(runSuffix))) {
      try {
        const run = JSON.parse(await fs.readFile(path.join(this.folder, name), 'utf8')) as RunRecord;
        if (run.format === 'intune-mao-run' && run.version === 1 && `${run.id}${runSuffix}` === name && Array.isArray(run.items)) runs.push(run);
        else this.warn(`[runs] ${name} is not a run this version can read; left out`);
      } catch (error) {
        this.warn(`[runs] ${name} could not be read (${(error as Error).message}); left out`);
      }
    }
    return runs.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  /** Writes the run (one write at a time, each replacing the file whole: a reader never sees half a run). */
  write(run: RunRecord): Promise<void> {
    const text = this.redact(JSON.stringify(run));
    const done = this.writing.then(async () => {
      await this.ensureFolder();
      const file = path.join(this.folder, `${run.id}${runSuffix}`);
      const temporary = `${file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, text, { encoding: 'utf8', mode: 0o600 });
      await fs.rename(temporary, file);
    });
    this.writing = done.catch(() => undefined);
    return done;
  }

  /** The run's file and journal. */
  remove(id: string): Promise<void> {
    const done = this.writing.then(async () => {
      for (const file of [path.join(this.folder, `${id}${runSuffix}`), this.journalPath(id)]) await fs.rm(file, { force: true });
    });
    this.writing = done.catch(() => undefined);
    return done;
  }

  /** Every file the runs wrote (for the tests' scan for secrets, and Delete All). */
  async allFiles(): Promise<string[]> {
    try {
      return (await fs.readdir(this.folder)).map((name) => path.join(this.folder, name));
    } catch {
      return [];
    }
  }
}
