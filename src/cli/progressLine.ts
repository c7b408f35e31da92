import type { JobProgress } from '../core/engine/jobTypes';
import type { Terminal } from './terminal';

const redrawEveryMs = 150;
const logEveryMs = 5000;

/**
 * Progress on standard error: on a terminal, one line redrawn in place; in CI or into a file or pipe, a
 * short line every few seconds. Standard output stays the results' own.
 */
export class ProgressLine {
  private last: JobProgress | undefined;
  private drawnAt = 0;
  private shown = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly terminal: Terminal,
    private readonly live: boolean,
  ) {
    if (!live)
      this.timer = setInterval(() => {
        if (this.last) this.terminal.err(describeProgress(this.last, Date.now()));
      }, logEveryMs).unref();
  }

  update(progress: JobProgress): void {
    this.last = progress;
    if (!this.live) return;
    const now = Date.now();
    if (now - this.drawnAt < redrawEveryMs) return;
    this.drawnAt = now;
    this.terminal.errLiveLine(describeProgress(progress, now));
    this.shown = true;
  }

  /** Takes the live line away (before a result is printed, and at the end). */
  clear(): void {
    if (this.shown) this.terminal.errLiveLine(undefined);
    this.shown = false;
    this.drawnAt = 0;
  }

  stop(): void {
    this.clear();
    if (this.timer) clearInterval(this.timer);
  }
}

export function describeProgress(progress: JobProgress, now: number): string {
  const { counts } = progress;
  const parts = [
    `${progress.done}/${progress.total}`,
    `${counts.created} created`,
    ...(counts.failed ? [`${counts.failed} failed`] : []),
    ...(counts.unknown ? [`${counts.unknown} unknown`] : []),
    ...(progress.ratePerSecond !== undefined ? [`${progress.ratePerSecond.toFixed(1)}/s`] : []),
    ...(progress.etaMs !== undefined && progress.done < progress.total ? [`ETA ${duration(progress.etaMs)}`] : []),
  ];
  if (progress.waitingUntil !== undefined && progress.waitingUntil > now) {
    parts.push(`waiting for the write window until ${new Date(progress.waitingUntil).toISOString().slice(11, 19)} UTC`);
  }
  if (progress.phase === 'checking') parts.push('checking unknown outcomes');
  if (progress.phase === 'stopping') parts.push('stopping');
  return `progress: ${parts.join(' · ')}`;
}

function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}
