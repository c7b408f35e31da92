import vscode = require('vscode');
import { loadCore } from '../../shared/loadCore';
import type { RunFiles } from './runFiles';
import { isOver, type KeptResult, type RunRecord } from './runRecord';

/**
 * The runs of this workspace (or of windows without a folder), newest first: read from storage on first use
 * (the Runs view shown, or a run recorded), never at activation; written as they change; at most `kept()`.
 */
export class RunStore implements vscode.Disposable {
  private runs: RunRecord[] | undefined;
  private loading: Promise<RunRecord[]> | undefined;
  /** Runs going on in this window: never dropped, never taken for interrupted ones. */
  private readonly live = new Set<string>();
  private readonly changed = new vscode.EventEmitter<RunRecord | undefined>();
  /** A run changed (undefined: the list itself). */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly files: RunFiles,
    private readonly kept: () => number,
  ) {}

  get loaded(): boolean {
    return this.runs !== undefined;
  }

  async all(): Promise<readonly RunRecord[]> {
    return this.runs ?? (await (this.loading ??= this.load()));
  }

  async find(id: string): Promise<RunRecord | undefined> {
    return (await this.all()).find((run) => run.id === id);
  }

  isLive(id: string): boolean {
    return this.live.has(id);
  }

  /** A round starts on a kept run (a check, a re-send): it is going on until saved as over. */
  goingOn(run: RunRecord): void {
    this.live.add(run.id);
    this.changed.fire(run);
  }

  /** A new run, first in the list, kept at once; the oldest beyond the bound go (with their journals). */
  async add(run: RunRecord): Promise<void> {
    const runs = [run, ...(await this.all())];
    this.live.add(run.id);
    const dropped = runs.filter((r) => !this.live.has(r.id)).slice(Math.max(0, this.kept() - this.live.size));
    this.runs = runs.filter((r) => !dropped.includes(r));
    await this.files.write(run);
    for (const old of dropped) await this.files.remove(old.id);
    this.changed.fire(undefined);
  }

  /** Shows a change now; written with the next save. */
  touched(run: RunRecord): void {
    this.changed.fire(run);
  }

  async save(run: RunRecord, over = false): Promise<void> {
    if (over) this.live.delete(run.id);
    if (this.runs?.includes(run)) await this.files.write(run);
    this.changed.fire(run);
  }

  async remove(ids: readonly string[]): Promise<number> {
    const runs = await this.all();
    const gone = runs.filter((run) => ids.includes(run.id) && !this.live.has(run.id));
    this.runs = runs.filter((run) => !gone.includes(run));
    for (const run of gone) await this.files.remove(run.id);
    this.changed.fire(undefined);
    return gone.length;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async load(): Promise<RunRecord[]> {
    await this.files.ensureFolder();
    const runs = await this.files.readAll();
    for (const run of runs.filter((r) => !isOver(r))) {
      settleInterrupted(run, this.files.journalPath(run.id));
      await this.files.write(run);
    }
    this.runs = runs;
    return runs;
  }
}

/**
 * A run the window closed on (or a crash): its rounds end, and each item left without a result takes what the
 * journal says: its last result, unknown when it was sent after that (the answer never arrived), skipped
 * when it was never sent.
 */
export function settleInterrupted(run: RunRecord, journalPath: string): void {
  const core = loadCore();
  let state: ReturnType<typeof core.resumeStateOf> | undefined;
  try {
    const body = new Map(run.files.map((file) => [file.label, file.body]));
    const items = run.items.map((item) => ({ key: item.key, file: item.file, registrationId: item.registrationId, body: body.get(item.file) ?? '' }));
    state = core.resumeStateOf(core.readJournal(journalPath), core.jobIdentity(items, run.graphRoot, run.apiVersion), journalPath);
  } catch {
    state = undefined;
  }
  let latest = run.startedAt;
  for (const item of run.items) {
    const entry = state?.items.get(item.key);
    const last = entry?.last;
    if (last) latest = Math.max(latest, last.at);
    if (item.result && !entry?.sentSinceResult) continue;
    const base = { key: item.key, file: item.file, registrationId: item.registrationId, attempts: last?.attempts ?? 0 };
    const ids = { ...(last?.requestId ? { requestId: last.requestId } : {}), ...(last?.clientRequestId ? { clientRequestId: last.clientRequestId } : {}) };
    let result: KeptResult;
    if (entry?.sentSinceResult || (!state && !item.result)) {
      result = {
        ...base,
        ...ids,
        outcome: 'unknown',
        ...(entry?.firstSentAt !== undefined ? { firstSentAt: entry.firstSentAt } : {}),
        reason: state ? 'Sent, then the window closed before the answer was known.' : 'The window closed during the run, and its journal could not be read.',
      };
    } else if (last) {
      result = {
        ...base,
        ...ids,
        outcome: last.outcome,
        ...(last.status !== undefined ? { status: last.status } : {}),
        ...(last.operationId ? { operationId: last.operationId } : {}),
        ...(last.firstSentAt !== undefined ? { firstSentAt: last.firstSentAt } : {}),
        ...(last.message ? { reason: last.message } : {}),
        ...(last.reconciliation ? { reconciliation: last.reconciliation } : {}),
      };
    } else {
      result = { ...base, outcome: 'skipped', reason: 'Not sent: the window closed during the run.' };
    }
    item.result = result;
  }
  for (const round of run.rounds) {
    if (round.endedAt === undefined) Object.assign(round, { endedAt: latest, stopped: true });
  }
}
