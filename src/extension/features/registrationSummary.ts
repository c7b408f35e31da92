import { l10n } from 'vscode';
import { loadCore } from '../shared/loadCore';
import type { TargetSummary } from '../shared/targetSummary';

type Registration = Record<string, unknown>;

export function summarizeRegistration(item: Registration): TargetSummary {
  const { appIdentifierOf, displayText: text, platformOf } = loadCore();
  const app = appIdentifierOf(item);
  const device = text(item['deviceName']);
  const user = text(item['userId']);
  const platform = platformOf(item);
  return {
    id: text(item['id']) ?? '',
    ...(app ? { app } : {}),
    ...(device ? { device } : {}),
    ...(user ? { user } : {}),
    ...(platform ? { platform } : {}),
  };
}

/** The QuickPick rows for one registration. */
export function registrationPickItem(item: Registration): { label: string; description: string; detail: string } {
  const { displayText: text, flagsOf } = loadCore();
  const summary = summarizeRegistration(item);
  const platform = [summary.platform, text(item['platformVersion'])].filter(Boolean).join(' ');
  const appVersion = text(item['applicationVersion']);
  const lastSync = text(item['lastSyncDateTime']);
  const flags = flagsOf(item);
  return {
    label: summary.app ?? l10n.t('(unknown app)'),
    description: [summary.device, platform, appVersion ? l10n.t('app {0}', appVersion) : undefined].filter(Boolean).join(' · '),
    detail: [
      summary.user ? l10n.t('user {0}', summary.user) : undefined,
      lastSync ? l10n.t('last sync {0}', formatDate(lastSync)) : undefined,
      flags.length ? `$(warning) ${flags.join(', ')}` : undefined,
      summary.id,
    ]
      .filter(Boolean)
      .join(' · '),
  };
}

/** An ISO date as "2024-10-02 07:41 UTC", or the text as it is. */
export function formatDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
