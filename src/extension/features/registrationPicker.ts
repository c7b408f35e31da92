import * as vscode from 'vscode';
import type { ConnectionPlan } from '../shared/connectionPlan';
import { loadCore } from '../shared/loadCore';
import type { TargetSummary } from '../shared/targetSummary';
import type { FeatureServices } from './featureServices';
import { graphClientFor } from './graphConnection';
import { GraphReadFailure } from './presentFailure';
import { registrationPickItem, summarizeRegistration } from './registrationSummary';

interface RegistrationItem extends vscode.QuickPickItem {
  readonly target: TargetSummary;
}

/**
 * A QuickPick fed page by page from `GET …/managedAppRegistrations` (busy until the last page), filterable on
 * every field shown; a GUID typed into the box is offered as it is. Resolves with the choice, or undefined
 * when dismissed. Rejects when signing in or listing fails (the picker is closed first).
 */
export function pickRegistration(services: FeatureServices, plan: ConnectionPlan, fileName: string, current?: string): Promise<TargetSummary | undefined> {
  const core = loadCore();
  const { log, targets } = services;
  const controller = new AbortController();
  const client = graphClientFor(services, plan, 'read', controller.signal);
  const picker = services.ports.interaction.createQuickPick<RegistrationItem>();
  picker.title = vscode.l10n.t('Target registration for {0}', fileName);
  picker.placeholder = vscode.l10n.t('Filter by app, device, platform, user or id, or paste a registration id');
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  picker.ignoreFocusOut = true;
  picker.busy = true;

  let listed: RegistrationItem[] = [];
  let typed: RegistrationItem | undefined;
  const refresh = (): void => {
    const active = picker.activeItems[0];
    picker.items = typed ? [typed, ...listed] : listed;
    const keep = active && picker.items.find((item) => item.target.id === active.target.id);
    if (keep) picker.activeItems = [keep];
  };

  return new Promise<TargetSummary | undefined>((resolve, reject) => {
    let settled = false;
    const finish = (value: TargetSummary | undefined, error?: unknown): void => {
      if (settled) return;
      settled = true;
      controller.abort();
      picker.hide();
      picker.dispose();
      if (error !== undefined) reject(error); else resolve(value);
    };

    picker.onDidChangeValue((value) => {
      const text = value.trim();
      const id = core.isGuid(text) ? text.toLowerCase() : undefined;
      typed = id
        ? { label: `$(edit) ${id}`, description: vscode.l10n.t('Use this registration id'), alwaysShow: true, target: { ...targets.describe(id), id } }
        : undefined;
      refresh();
    });
    picker.onDidAccept(() => finish(picker.selectedItems[0]?.target ?? picker.activeItems[0]?.target));
    picker.onDidHide(() => finish(undefined));
    picker.show();

    const request = core.buildGetRequest(plan.target, core.registrationsPath(plan.settings.apiVersion));
    log.info(`[picker] listing registrations: GET ${request.url}`);
    client.listAll<Record<string, unknown>>(request, (page, pageNumber) => {
      const items = page.map((registration) => ({ ...registrationPickItem(registration), target: summarizeRegistration(registration) }))
        .filter((item) => item.target.id);
      targets.learn(items.map((item) => item.target));
      listed = [...listed, ...items.map((item) => (item.target.id === current ? { ...item, picked: true, description: `${item.description} · ${vscode.l10n.t('current')}` } : item))];
      picker.title = vscode.l10n.t('Target registration for {0} ({1} so far, page {2})', fileName, String(listed.length), String(pageNumber));
      refresh();
    }, { signal: controller.signal }).then(({ items, exchange }) => {
      if (settled) return;
      picker.busy = false;
      if (exchange.outcome === 'cancelled') return;
      if (exchange.outcome !== 'succeeded') {
        const message = exchange.error?.message ?? exchange.reason ?? vscode.l10n.t('the list could not be read');
        finish(undefined, new GraphReadFailure(vscode.l10n.t('Could not list the app registrations: {0}', message), exchange));
        return;
      }
      log.info(`[picker] ${items.length} registration(s) listed`);
      picker.title = vscode.l10n.t('Target registration for {0} ({1})', fileName, String(listed.length));
      if (listed.length === 0) picker.placeholder = vscode.l10n.t('No app registrations found: paste a registration id');
    }, (error: unknown) => finish(undefined, error));
  });
}
