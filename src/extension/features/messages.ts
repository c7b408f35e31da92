import vscode = require('vscode');
import { l10n } from 'vscode';
import type { Exchange } from '../../core/graphClient';
import type { MissingPermission } from '../../core/permissionPreflight';
import type { TokenSummary } from '../../core/tokenClaims';
import type { MessageSeverity, Ports } from '../ports';
import type { IntuneLog } from '../intuneLog';
import { graphPermission, type ConnectionPlan } from '../shared/connectionPlan';

export interface MessageActions {
  /** Adds "Show Output". */
  readonly log?: IntuneLog;
  /** Adds "Copy Support Details" with this text (redacted again before it reaches the clipboard). */
  readonly supportDetails?: string;
  /** Adds "Open Setup Guide" (the README's app-registration section). */
  readonly setupGuide?: vscode.Uri;
  /** Adds "Open Settings" on these settings. */
  readonly settings?: string;
  /** Extra buttons. */
  readonly more?: ReadonlyArray<{ readonly title: string; readonly run: () => unknown }>;
}

/**
 * Shows a notification with buttons and handles the choice. Never awaited by callers: a notification stays
 * until dismissed, and a command must not wait for that.
 */
export function notify(ports: Ports, severity: MessageSeverity, message: string, actions: MessageActions = {}): void {
  const buttons: Array<{ title: string; run: () => unknown }> = [...(actions.more ?? [])];
  if (actions.setupGuide) {
    const guide = actions.setupGuide;
    buttons.push({ title: l10n.t('Open Setup Guide'), run: () => vscode.commands.executeCommand('markdown.showPreview', guide) });
  }
  if (actions.settings) {
    const query = actions.settings;
    buttons.push({ title: l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', query) });
  }
  if (actions.log) {
    const log = actions.log;
    buttons.push({ title: l10n.t('Show Output'), run: () => log.show() });
    if (actions.supportDetails !== undefined) {
      const details = log.redact(actions.supportDetails);
      buttons.push({
        title: l10n.t('Copy Support Details'),
        run: async () => {
          await ports.interaction.writeClipboard(details);
          void ports.interaction.showMessage('info', l10n.t('Support details copied (request ids, date, cloud, tenant; no token).'), []);
        },
      });
    }
  }
  const shown = ports.interaction.showMessage(
    severity,
    message,
    buttons.map((b) => b.title),
  );
  void Promise.resolve(shown).then(async (choice) => {
    const button = buttons.find((b) => b.title === choice);
    try {
      await button?.run();
    } catch (error) {
      actions.log?.error(`[ui] ${String(error)}`);
    }
  });
}

export interface SupportFacts {
  readonly file?: string;
  readonly outcome?: string;
  readonly registrationId?: string;
  readonly exchange?: Exchange;
  readonly plan?: ConnectionPlan;
  readonly tenantId?: string;
  readonly extensionVersion: string;
}

/** What Microsoft support (or a colleague) needs to find a request: ids, date, cloud, tenant. Never the token. */
export function supportDetails(facts: SupportFacts): string {
  const exchange = facts.exchange;
  const error = exchange?.error;
  const plan = facts.plan;
  const rows: Array<[string, string | undefined]> = [
    ['File', facts.file],
    ['Outcome', facts.outcome && `${facts.outcome}${exchange?.status !== undefined ? ` (HTTP ${exchange.status}${error?.code ? ` ${error.code}` : ''})` : ''}`],
    ['Registration', facts.registrationId],
    ['Request', exchange ? `${exchange.request.method} ${exchange.request.url}` : undefined],
    ['request-id', exchange?.requestId ?? error?.requestId],
    ['client-request-id', exchange?.clientRequestId],
    ['Date', error?.date ?? exchange?.headers['date']],
    ['Activity ID', error?.activityId],
    ['Operation ID', error?.operationId],
    ['Error', error?.message ?? exchange?.reason],
    ['Cloud', plan && `${plan.cloud.label} (${plan.target.isEmulator ? `local emulator ${plan.target.root}` : plan.target.root})`],
    ['API version', plan?.settings.apiVersion],
    ['Tenant', facts.tenantId ?? plan?.settings.tenant],
    ['Client id', plan?.settings.clientId ?? (plan ? "VS Code's default" : undefined)],
    ['Extension', `intune-mao ${facts.extensionVersion}, VS Code ${vscode.version} (${vscode.env.appHost})`],
  ];
  return rows
    .filter(([, value]) => value)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

/**
 * Why Graph (403) or Entra ID (AADSTS consent errors) refused, what the token holds and how to fix it.
 */
export function permissionAdvice(plan: ConnectionPlan, token: TokenSummary | undefined, cause: string): string {
  const has = token ? tokenClaims(token) : l10n.t('No token was issued.');
  const app = clientApp(plan);
  return l10n.t(
    '{0} Missing permission: {1} (delegated). {2} Fix: an administrator grants admin consent for {1} to {3}, or register your own app with that permission and set intuneMao.clientId. See the README, "Setting up the app registration".',
    cause,
    graphPermission,
    has,
    app,
  );
}

/** A 403, or an error whose text says the application lacks a scope. */
export function isPermissionFailure(exchange: Exchange | undefined): boolean {
  if (!exchange) return false;
  if (exchange.status === 403) return true;
  const text = `${exchange.error?.code ?? ''} ${exchange.error?.message ?? ''}`;
  return /not authorized to perform this operation|must have one of the following scopes|Authorization_RequestDenied/i.test(text);
}

/** The pre-flight refused the token: what it lacks, what it has and how to get one that works. Never the token. */
export function describeMissingPermission(plan: ConnectionPlan, missing: MissingPermission): string {
  const task = missing.access === 'write' ? l10n.t('create managed app operations') : l10n.t('list managed app registrations');
  const { token } = missing;
  const has =
    missing.kind === 'app-only'
      ? l10n.t('It is an app-only token with the roles "{0}", tenant {1}.', (token.roles ?? []).join(' ') || l10n.t('(none)'), token.tenantId ?? '?')
      : tokenClaims(token);
  const app = clientApp(plan);
  return l10n.t(
    'Nothing was sent: the token cannot {0} on Graph {1}; it carries none of {2}. {3} Fix: an administrator grants admin consent for {4} to {5}, or register your own app with that permission and set intuneMao.clientId; then use Sign Out / Switch Account to get a new token. See the README, "Setting up the app registration".',
    task,
    missing.apiVersion,
    missing.accepted.join(', '),
    has,
    missing.accepted[0] ?? graphPermission,
    app,
  );
}

/** What a delegated token carries: its scopes, tenant and account (never the token). */
function tokenClaims(token: Pick<TokenSummary, 'scopes' | 'tenantId' | 'account'>): string {
  return l10n.t(
    'The token has scopes "{0}", tenant {1}, account {2}.',
    token.scopes.length ? token.scopes.join(' ') : l10n.t('(none)'),
    token.tenantId ?? '?',
    token.account ?? '?',
  );
}

/** The app the token was asked for, as an administrator would grant consent to it. */
function clientApp(plan: ConnectionPlan): string {
  return plan.settings.clientId
    ? l10n.t('your app registration {0}', plan.settings.clientId)
    : l10n.t("VS Code's built-in client, which Microsoft does not pre-authorize for Intune permissions");
}
