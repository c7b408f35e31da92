import { closeSync, fstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { SetupFailure } from '../failures';
import { redactSecretShapes } from '../redact';
import type { CheckRecord, JobIdentity, JobRecord, JournalRecord, ResultRecord, RunRecord, SendingRecord } from './journalRecords';

export class JournalError extends SetupFailure {
  constructor(message: string) {
    super(message);
    this.name = 'JournalError';
  }
}

/**
 * An append-only NDJSON file, written with one synchronous write per record (or per batch of records) on an
 * open descriptor: once a call returns, the line is the kernel's, and a `kill -9` at any moment loses nothing
 * written before it. Holds no token and no response body: keys, times, ids, statuses, short messages.
 */
export class JournalWriter {
  private constructor(
    private fd: number | undefined,
    readonly path: string,
    private readonly scrub?: (text: string) => string,
  ) {}

  /**
   * A new journal for `job`; refused when the file already holds something. `scrub` sees every line before it is
   * written (a front end's redactor, which knows its tokens: defence in depth, since no line carries one).
   */
  static create(path: string, job: JobIdentity, now: number, scrub?: (text: string) => string): JournalWriter {
    let fd: number;
    try {
      fd = openSync(path, 'a', 0o600);
    } catch (error) {
      throw new JournalError(`Cannot write the journal ${path}: ${(error as Error).message}`);
    }
    if (fstatSync(fd).size > 0) {
      closeSync(fd);
      throw new JournalError(
        `The journal ${path} already holds a run. To go on with that run, give the same command with --resume ${path}; to start afresh, name another journal file.`,
      );
    }
    const writer = new JournalWriter(fd, path, scrub);
    const record: JobRecord = {
      type: 'job',
      format: 'intune-mao-journal',
      version: 1,
      createdAt: new Date(now).toISOString(),
      fingerprint: job.fingerprint,
      graphRoot: job.graphRoot,
      apiVersion: job.apiVersion,
      items: job.items,
    };
    writer.write([record, { type: 'run', at: now, resumed: false } satisfies RunRecord]);
    return writer;
  }

  /**
   * Goes on with an existing journal (already read and checked against the job): a resumed run, or a check of
   * its unknown outcomes that sends nothing.
   */
  static resume(path: string, now: number, purpose: 'run' | 'check' = 'run', scrub?: (text: string) => string): JournalWriter {
    const cutShort = !endsWithNewline(path);
    const writer = new JournalWriter(openSync(path, 'a', 0o600), path, scrub);
    if (cutShort) writer.writeText('\n');
    writer.write([purpose === 'run' ? ({ type: 'run', at: now, resumed: true } satisfies RunRecord) : ({ type: 'check', at: now } satisfies CheckRecord)]);
    return writer;
  }

  sending(records: readonly SendingRecord[]): void {
    this.write(records);
  }

  result(record: ResultRecord): void {
    this.write([{ ...record, ...(record.message ? { message: redactSecretShapes(record.message).slice(0, 500) } : {}) }]);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private write(records: readonly JournalRecord[]): void {
    if (records.length > 0) this.writeText(records.map((record) => (this.scrub ? this.scrub(JSON.stringify(record)) : JSON.stringify(record)) + '\n').join(''));
  }

  private writeText(text: string): void {
    if (this.fd === undefined) return;
    const bytes = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < bytes.length;) offset += writeSync(this.fd, bytes, offset);
  }
}

/** False when the last line was cut short (the process killed mid-write): the next record starts on a line of its own. */
function endsWithNewline(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** The records of a journal file. A last line cut short (the process killed mid-write) is left out. */
export function readJournal(path: string): JournalRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new JournalError(
      code === 'ENOENT'
        ? `The journal ${path} does not exist (--resume names the journal of an earlier run).`
        : `Cannot read the journal ${path}: ${(error as Error).message}`,
    );
  }
  const lines = text.split('\n');
  const records: JournalRecord[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      if (index === lines.length - 1) return;
      throw new JournalError(`The journal ${path} is damaged: line ${index + 1} is not a journal record.`);
    }
  });
  const first = records[0];
  if (!first || first.type !== 'job' || first.format !== 'intune-mao-journal') {
    throw new JournalError(`${path} is not an intune-mao journal.`);
  }
  return records;
}
