import vscode = require('vscode');
import { l10n } from 'vscode';
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

export interface PickOptions {
  /** Start with several to check (QuickPick canSelectMany); otherwise one, with a title button to switch. */
  readonly several?: boolean;
  /** The targets chosen so far: marked (one) or checked (several). */
  readonly current?: readonly string[];
}

/**
 * A QuickPick fed page by page from `GET …/managedAppRegistrations` (busy until the last page), filterable on
 * every field shown; a GUID typed into the box is offered as it is. With several, the person checks any number,
 * or all those a filter leaves visible. Resolves with the choice (one or more), or undefined when dismissed.
 * Rejects when signing in or listing fails (the picker is closed first).
 */
export function pickRegistrations(
  services: FeatureServices,
  plan: ConnectionPlan,
  fileName: string,
  options: PickOptions = {},
): Promise<TargetSummary[] | undefined> {
  const core = loadCore();
  const { log, targets } = services;
  const current = new Set(options.current ?? []);
  const controller = new AbortController();
  const client = graphClientFor(services, plan, 'read', controller.signal);
  const picker = services.ports.interaction.createQuickPick<RegistrationItem>();
  const severalButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('checklist'), tooltip: l10n.t('Choose several registrations') };
  const checked = new Set<string>(options.several ? current : []);
  let progress: { count: number; page: number } | undefined = { count: 0, page: 0 };
  const title = (): string => {
    const base = picker.canSelectMany ? l10n.t('Target registrations for {0}', fileName) : l10n.t('Target registration for {0}', fileName);
    if (!progress) return `${base} (${listed.length})`;
    return progress.page ? l10n.t('{0} ({1} so far, page {2})', base, String(progress.count), String(progress.page)) : base;
  };
  picker.canSelectMany = !!options.several;
  picker.buttons = options.several ? [] : [severalButton];
  picker.title = title();
  picker.placeholder = picker.canSelectMany
    ? l10n.t('Check the registrations to send to; filter, then check all to take every one shown')
    : l10n.t('Filter by app, device, platform, user or id, or paste a registration id');
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  picker.ignoreFocusOut = true;
  picker.busy = true;

  let listed: RegistrationItem[] = [];
  let typed: RegistrationItem | undefined;
  const refresh = (): void => {
    const active = picker.activeItems[0];
    picker.items = typed ? [typed, ...listed] : listed;
    if (picker.canSelectMany) picker.selectedItems = picker.items.filter((item) => checked.has(item.target.id));
    const keep = active && picker.items.find((item) => item.target.id === active.target.id);
    if (keep) picker.activeItems = [keep];
  };

  return new Promise<TargetSummary[] | undefined>((resolve, reject) => {
    let settled = false;
    const finish = (value: TargetSummary[] | undefined, error?: unknown): void => {
      if (settled) return;
      settled = true;
      controller.abort();
      picker.hide();
      picker.dispose();
      if (error !== undefined) reject(error);
      else resolve(value);
    };

    picker.onDidChangeValue((value) => {
      const text = value.trim();
      const id = core.isGuid(text) ? text.toLowerCase() : undefined;
      typed = id
        ? { label: `$(edit) ${id}`, description: l10n.t('Use this registration id'), alwaysShow: true, target: { ...targets.describe(id), id } }
        : undefined;
      refresh();
    });
    picker.onDidChangeSelection((items) => {
      if (!picker.canSelectMany) return;
      checked.clear();
      for (const item of items) checked.add(item.target.id);
    });
    picker.onDidTriggerButton((button) => {
      if (button !== severalButton) return;
      const active = picker.activeItems[0];
      if (active) checked.add(active.target.id);
      picker.canSelectMany = true;
      picker.buttons = [];
      picker.title = title();
      picker.placeholder = l10n.t('Check the registrations to send to; filter, then check all to take every one shown');
      refresh();
    });
    picker.onDidAccept(() => {
      const active = picker.activeItems[0];
      if (!picker.canSelectMany) {
        const chosen = picker.selectedItems[0]?.target ?? active?.target;
        finish(chosen ? [chosen] : undefined);
        return;
      }
      const chosen = picker.selectedItems.length ? picker.selectedItems.map((item) => item.target) : active ? [active.target] : [];
      finish(chosen.length ? chosen : undefined);
    });
    picker.onDidHide(() => finish(undefined));
    picker.show();

    const request = core.buildGetRequest(plan.target, core.registrationsPath(plan.settings.apiVersion));
    log.info(`[picker] listing registrations: GET ${request.url}`);
    client
      .listAll<Record<string, unknown>>(
        request,
        (page, pageNumber) => {
          const items = page
            .map((registration) => ({ ...registrationPickItem(registration), target: summarizeRegistration(registration) }))
            .filter((item) => item.target.id);
          targets.learn(items.map((item) => item.target));
          listed = [
            ...listed,
            ...items.map((item) => (current.has(item.target.id) ? { ...item, picked: true, description: `${item.description} · ${l10n.t('current')}` } : item)),
          ];
          progress = { count: listed.length, page: pageNumber };
          picker.title = title();
          refresh();
        },
        { signal: controller.signal },
      )
      .then(
        ({ items, exchange }) => {
          if (settled) return;
          picker.busy = false;
          if (exchange.outcome === 'cancelled') return;
          if (exchange.outcome !== 'succeeded') {
            const message = exchange.error?.message ?? exchange.reason ?? l10n.t('the list could not be read');
            finish(undefined, new GraphReadFailure(l10n.t('Could not list the app registrations: {0}', message), exchange));
            return;
          }
          log.info(`[picker] ${items.length} registration(s) listed`);
          progress = undefined;
          picker.title = title();
          if (listed.length === 0) picker.placeholder = l10n.t('No app registrations found: paste a registration id');
        },
        (error: unknown) => finish(undefined, error),
      );
  });
}
