import { resolve } from 'node:path';
import { JournalError, JournalWriter, readJournal } from '../core/engine/journal';
import { jobIdentity } from '../core/engine/journalRecords';
import { resumeStateOf, type ResumeState } from '../core/engine/resumeState';
import type { JobItem } from '../core/engine/jobTypes';
import { UsageError } from './options';

export interface JournalChoice {
  readonly path: string;
  readonly resume: boolean;
}

/** --journal (repeatable, one path) and --resume (the journal to go on with, and append to). */
export function journalChoice(journals: readonly string[] | undefined, resume: string | undefined): JournalChoice | undefined {
  const paths = new Set((journals ?? []).map((path) => resolve(path)));
  if (paths.size > 1) throw new UsageError('--journal names one file; it was given different paths');
  const journal = journals?.[0];
  if (resume !== undefined && journal !== undefined && resolve(resume) !== resolve(journal)) {
    throw new UsageError('--journal and --resume name different files: a resumed run goes on appending to the journal it resumes');
  }
  if (resume !== undefined) return { path: resume, resume: true };
  return journal !== undefined ? { path: journal, resume: false } : undefined;
}

/** Opens the journal for this job: a new one, or the one being resumed after checking it is this job's. */
export function openJournal(
  choice: JournalChoice,
  items: readonly JobItem[],
  graphRoot: string,
  apiVersion: string,
  now: number,
): { writer: JournalWriter; resume?: ResumeState } {
  const job = jobIdentity(items, graphRoot, apiVersion);
  try {
    if (!choice.resume) return { writer: JournalWriter.create(choice.path, job, now) };
    const resume = resumeStateOf(readJournal(choice.path), job, choice.path);
    return { writer: JournalWriter.resume(choice.path, now), resume };
  } catch (error) {
    if (error instanceof JournalError) throw new UsageError(error.message);
    throw error;
  }
}
