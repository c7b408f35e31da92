// Helpers for the Runs view's tests: the view read through its provider, the runs as kept, what storage holds.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type * as vscode from 'vscode';
import type { RunItem, RunRecord } from '../../src/extension/features/runs/runRecord';
import type { InteractionPort } from '../../src/extension/ports';
import type { IntuneMaoTestApi } from './intuneTestKit';
import { shownChildren, type ShownItem } from './sidebarKit';

export type { RunItem, RunRecord };

/** The Runs view's items, asked for the way VS Code asks when the view is shown or a run expanded. */
export class RunsViewReader {
  constructor(private readonly api: IntuneMaoTestApi) {}

  children(parent?: unknown): Promise<ShownItem[]> {
    return shownChildren(this.api.runs.provider, parent);
  }

  /** The run's node in the view (runs are listed newest first). */
  async run(id: string): Promise<ShownItem> {
    const found = (await this.children()).find((shown) => shown.item.id === `run:${id}`);
    assert.ok(found, `run ${id} is in the Runs view`);
    return found;
  }
}

/** The newest run kept. */
export async function newestRun(api: IntuneMaoTestApi): Promise<RunRecord> {
  const [run] = await api.runs.list();
  assert.ok(run, 'a run was recorded');
  return run;
}

export function outcomes(run: RunRecord): Array<string | undefined> {
  return run.items.map((item) => item.result?.outcome);
}

export function iconOf(shown: ShownItem): string {
  return (shown.item.iconPath as vscode.ThemeIcon).id;
}

/** The save dialog answered with `uri` (undefined: the person cancelled), recording its options. */
export function answerSaveDialog(api: IntuneMaoTestApi, uri: () => vscode.Uri | undefined): { asked: vscode.SaveDialogOptions[]; restore(): void } {
  const asked: vscode.SaveDialogOptions[] = [];
  const original = api.ports.interaction.showSaveDialog;
  const replacement: InteractionPort['showSaveDialog'] = async (options) => {
    asked.push(options);
    return uri();
  };
  api.ports.interaction.showSaveDialog = replacement;
  return {
    asked,
    restore: () => {
      api.ports.interaction.showSaveDialog = original;
    },
  };
}

/** Neither the token nor any of its parts (header, payload, signature) is in the text. */
export function assertNoTokenParts(text: string, token: string, where: string): void {
  assert.ok(!text.includes(token), `${where} does not hold the token`);
  for (const part of token.split('.').filter((p) => p.length >= 8)) assert.ok(!text.includes(part), `${where} does not hold a part of the token`);
}

/** The journal of a run, record by record. */
export async function journalOf(api: IntuneMaoTestApi, run: RunRecord): Promise<Array<Record<string, unknown>>> {
  const path = (await api.runs.files()).find((p) => p.endsWith(`${run.id}.journal.ndjson`));
  assert.ok(path, 'the run has a journal');
  return fs
    .readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
