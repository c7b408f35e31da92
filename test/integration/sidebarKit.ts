// Helpers for the Intune side bar's tests: the Registrations view read through its provider, as VS Code reads it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { InteractionPort } from '../../src/extension/ports';
import type { IntuneMaoTestApi } from './intuneTestKit';

export interface ShownItem {
  readonly node: unknown;
  readonly item: vscode.TreeItem;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
}

/** A Markdown tooltip as a person reads it: text escapes undone. */
function plainText(markdown: string): string {
  return markdown.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');
}

export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** A view's items under `parent`, asked for the way VS Code asks when the view is shown or an item expanded. */
export async function shownChildren(provider: vscode.TreeDataProvider<unknown>, parent?: unknown): Promise<ShownItem[]> {
  const nodes = (await provider.getChildren(parent)) ?? [];
  return Promise.all(
    nodes.map(async (node) => {
      const item = await provider.getTreeItem(node);
      const tooltip = typeof item.tooltip === 'string' ? item.tooltip : plainText(item.tooltip?.value ?? '');
      return { node, item, label: labelOf(item), description: typeof item.description === 'string' ? item.description : '', tooltip };
    }),
  );
}

/** The Registrations view's items, asked for the way VS Code asks when the view is shown or expanded. */
export class RegistrationsViewReader {
  constructor(private readonly api: IntuneMaoTestApi) {}

  children(parent?: unknown): Promise<ShownItem[]> {
    return shownChildren(this.api.registrations.provider, parent);
  }

  /** Clicks "Load more" (its own command) under `parent` until every page is read; the items then. */
  async loadAll(parent?: unknown): Promise<ShownItem[]> {
    const provider = this.api.registrations.provider;
    for (let clicks = 0; clicks < 500; clicks++) {
      const last = ((await provider.getChildren(parent)) ?? []).at(-1);
      const item = last === undefined ? undefined : await provider.getTreeItem(last);
      if (item?.contextValue !== 'loadMore') return this.children(parent);
      await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    }
    throw new Error('"Load more" never went away');
  }

  /** The registrations shown at the top level (not grouped), every page read. */
  async registrations(): Promise<ShownItem[]> {
    return (await this.loadAll()).filter((s) => s.item.contextValue === 'registration');
  }
}

/** What a click on a tree item does: its command with its arguments. */
export async function clickItem(shown: ShownItem): Promise<unknown> {
  const command = shown.item.command;
  assert.ok(command, `"${shown.label}" has a command`);
  return vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
}

/** Back to the view's defaults: no grouping, no filter, everything read again from Graph. */
export async function resetRegistrationsView(): Promise<void> {
  await vscode.commands.executeCommand('intuneMao.registrations.groupBy', 'none');
  await vscode.commands.executeCommand('intuneMao.registrations.filter', '');
  await vscode.commands.executeCommand('intuneMao.registrations.refresh');
}

/** Answers the input boxes the extension shows with `answer` (undefined: the person pressed Escape), recording their options. */
export function answerInputBox(
  api: IntuneMaoTestApi,
  answer: (options: vscode.InputBoxOptions) => string | undefined,
): { asked: vscode.InputBoxOptions[]; restore(): void } {
  const asked: vscode.InputBoxOptions[] = [];
  const original = api.ports.interaction.showInputBox;
  const replacement: InteractionPort['showInputBox'] = async (options) => {
    asked.push(options);
    return answer(options);
  };
  api.ports.interaction.showInputBox = replacement;
  return {
    asked,
    restore: () => {
      api.ports.interaction.showInputBox = original;
    },
  };
}

export async function codeLensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.map((lens) => lens.command?.title ?? '');
}

type PickItem = vscode.QuickPickItem & { target?: { id: string } };

/**
 * Like a person in a multi-select picker: highlights the item, presses the toggle key, and waits until VS Code
 * reports the changed selection back (so the next step sees what the workbench shows).
 */
export async function toggleChecked(picker: vscode.QuickPick<PickItem>, item: PickItem): Promise<void> {
  const wanted = !picker.selectedItems.includes(item);
  const reported = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve(false);
    }, 10000);
    const subscription = picker.onDidChangeSelection((selection) => {
      if (selection.includes(item) === wanted) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(true);
      }
    });
  });
  const highlighted = new Promise<void>((resolve) => {
    if (picker.activeItems[0] === item) {
      resolve();
      return;
    }
    const subscription = picker.onDidChangeActive((active) => {
      if (active[0] === item) {
        subscription.dispose();
        resolve();
      }
    });
    picker.activeItems = [item];
  });
  await highlighted;
  await vscode.commands.executeCommand('workbench.action.quickPickManyToggle');
  assert.ok(await reported, `"${item.label}" became ${wanted ? 'checked' : 'unchecked'}`);
}
