import vscode = require('vscode');
import type { ParsedJson } from '../../core/validation/index';
import type { TargetStore } from '../targetStore';
import { loadValidation } from './loadCore';
import type { TargetSummary } from './targetSummary';

/** The template's `$registrationId`: not a target, a reminder to choose one. */
export const placeholderRegistrationId = '00000000-0000-0000-0000-000000000000';

/** file-list: the file's `$registrationIds`; file: its `$registrationId`; remembered: chosen for it earlier. */
export type TargetSource = 'file-list' | 'file' | 'remembered';

export interface FileTargets {
  /** One or more, in order. */
  readonly targets: readonly TargetSummary[];
  readonly source: TargetSource;
}

/** The `$registrationId` string in the text, whatever it holds (undefined when absent or not a string). */
export function registrationIdProperty(parsed: ParsedJson): string | undefined {
  return loadValidation().registrationIdProperty(parsed.value);
}

/** The usable registrations a file names itself (placeholders left out), and in which key. */
export function registrationIdsFromFile(parsed: ParsedJson): { ids: string[]; source: 'file-list' | 'file' } | undefined {
  const validation = loadValidation();
  const source = validation.registrationIdsProperty(parsed.value) !== undefined ? 'file-list' : 'file';
  const ids = validation.registrationTargetsOf(parsed.value).filter((id) => id !== placeholderRegistrationId);
  return ids.length ? { ids, source } : undefined;
}

/** Where a file's operation goes: its own `$registrationIds`, else its `$registrationId`, else the registrations remembered for it. */
export function fileTargets(
  targets: TargetStore,
  document: vscode.TextDocument,
  parsed = loadValidation().parseStrictJson(document.getText()),
): FileTargets | undefined {
  const fromFile = registrationIdsFromFile(parsed);
  if (fromFile) return { targets: fromFile.ids.map((id) => targets.describe(id)), source: fromFile.source };
  const remembered = targets.remembered(document.uri).map((target) => (targets.names.isKnown(target.id) ? targets.describe(target.id) : target));
  return remembered.length ? { targets: remembered, source: 'remembered' } : undefined;
}

/**
 * Records chosen targets: remembered for the file, and written into the buffer when the file names its own
 * (which would otherwise win over the choice): `$registrationIds` gets the new list; `$registrationId` the
 * new id, or becomes `$registrationIds` when several were chosen.
 */
export async function applyChosenTarget(targets: TargetStore, document: vscode.TextDocument, chosen: TargetSummary | readonly TargetSummary[]): Promise<void> {
  const list: readonly TargetSummary[] = Array.isArray(chosen) ? chosen : [chosen as TargetSummary];
  await targets.set(document.uri, list);
  const validation = loadValidation();
  const text = document.getText();
  const parsed = validation.parseStrictJson(text);
  const ids = list.map((target) => target.id);
  const listNode = validation.registrationIdsProperty(parsed.value) !== undefined ? validation.nodeAtPointer(parsed.root, '/$registrationIds') : undefined;
  const idNode = registrationIdProperty(parsed) !== undefined ? validation.nodeAtPointer(parsed.root, '/$registrationId') : undefined;
  let replaced: { offset: number; length: number; content: string } | undefined;
  if (listNode) {
    replaced = { offset: listNode.offset, length: listNode.length, content: JSON.stringify(ids).replace(/","/g, '", "') };
  } else if (idNode && ids.length === 1) {
    replaced = { offset: idNode.offset, length: idNode.length, content: JSON.stringify(ids[0]) };
  } else if (idNode) {
    const key = validation.nodeAtPointer(parsed.root, '/$registrationId', true)!;
    replaced = {
      offset: key.offset,
      length: idNode.offset + idNode.length - key.offset,
      content: `"$registrationIds": ${JSON.stringify(ids).replace(/","/g, '", "')}`,
    };
  }
  if (!replaced) return;
  const shift = text.startsWith('\uFEFF') ? 1 : 0;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(
    document.uri,
    new vscode.Range(document.positionAt(replaced.offset + shift), document.positionAt(replaced.offset + shift + replaced.length)),
    replaced.content,
  );
  await vscode.workspace.applyEdit(edit);
}
