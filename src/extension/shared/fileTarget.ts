import * as vscode from 'vscode';
import type { ParsedJson } from '../../core/validation/index';
import type { TargetStore } from '../targetStore';
import { loadValidation } from './loadCore';
import type { TargetSummary } from './targetSummary';

/** The template's `$registrationId`: not a target, a reminder to choose one. */
export const placeholderRegistrationId = '00000000-0000-0000-0000-000000000000';

export type TargetSource = 'file' | 'remembered';

export interface FileTarget {
  readonly target: TargetSummary;
  readonly source: TargetSource;
}

/** The `$registrationId` string in the text, whatever it holds (undefined when absent or not a string). */
export function registrationIdProperty(parsed: ParsedJson): string | undefined {
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const id = (value as Record<string, unknown>)['$registrationId'];
  return typeof id === 'string' ? id : undefined;
}

/** A usable `$registrationId` from the file: a GUID that is not the template's placeholder. */
export function registrationIdFromFile(parsed: ParsedJson): string | undefined {
  const id = registrationIdProperty(parsed);
  return id && loadValidation().isGuid(id) && id !== placeholderRegistrationId ? id.toLowerCase() : undefined;
}

/** Where a file's operation goes: its own `$registrationId`, else the registration remembered for it. */
export function currentTarget(targets: TargetStore, document: vscode.TextDocument, parsed = loadValidation().parseStrictJson(document.getText())): FileTarget | undefined {
  const fromFile = registrationIdFromFile(parsed);
  if (fromFile) return { target: targets.describe(fromFile), source: 'file' };
  const remembered = targets.get(document.uri);
  return remembered ? { target: remembered, source: 'remembered' } : undefined;
}

/**
 * Records a chosen target: remembered for the file, and written into the buffer when the file has its own
 * `$registrationId` (which would otherwise win over the choice).
 */
export async function applyChosenTarget(targets: TargetStore, document: vscode.TextDocument, target: TargetSummary): Promise<void> {
  await targets.set(document.uri, target);
  const validation = loadValidation();
  const parsed = validation.parseStrictJson(document.getText());
  if (registrationIdProperty(parsed) === undefined) return;
  const node = validation.nodeAtPointer(parsed.root, '/$registrationId');
  if (!node) return;
  const offset = node.offset + (document.getText().startsWith('\uFEFF') ? 1 : 0);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + node.length)), JSON.stringify(target.id));
  await vscode.workspace.applyEdit(edit);
}
