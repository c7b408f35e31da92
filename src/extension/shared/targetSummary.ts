import { l10n } from 'vscode';

/** What a person recognizes a registration by, kept with the remembered target and shown in the CodeLens. */
export interface TargetSummary {
  readonly id: string;
  readonly app?: string;
  readonly device?: string;
  readonly user?: string;
  readonly platform?: string;
}

/** "app · device · user", or the id when nothing else is known. */
export function targetLabel(target: TargetSummary): string {
  const parts = [target.app, target.device, target.user].filter(Boolean);
  return parts.length ? parts.join(' · ') : target.id;
}

/** "app · device · user (id)", or "registration id" when nothing else is known. */
export function describeTarget(target: TargetSummary): string {
  const label = targetLabel(target);
  return label === target.id ? l10n.t('registration {0}', target.id) : `${label} (${target.id})`;
}

/** A registration in a list of several: its device, else its app, else the start of its id. */
export function shortTargetName(target: TargetSummary): string {
  return target.device ?? target.app ?? `${target.id.slice(0, 8)}…`;
}
