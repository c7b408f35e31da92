import vscode = require('vscode');
import { l10n } from 'vscode';
import type { Exchange } from '../../core/graphClient';
import { IntuneFailure, isIntuneFailure } from '../../core/failures';
import type { SignInFailure } from '../../core/signInFailure';
import type { ConnectionPlan } from '../shared/connectionPlan';
import { describeResponse } from './exchangeLog';
import type { FeatureServices } from './featureServices';
import { isPermissionFailure, notify, permissionAdvice, supportDetails, type SupportFacts } from './messages';

/** Graph refused a read (listing registrations or operations): nothing was created. */
export class GraphReadFailure extends IntuneFailure {
  readonly kind = 'graph' as const;

  constructor(
    message: string,
    readonly exchange: Exchange,
  ) {
    super(message);
  }
}

export interface FailureContext {
  /** The command that ran, for the log. */
  readonly command?: string;
  readonly plan?: ConnectionPlan;
  /** The file concerned, for the support details. */
  readonly file?: string;
}

/**
 * The one way the extension tells a person that a command could not do its work: a notification with the
 * buttons that help (Open Settings, Open Setup Guide, Show Output, Copy Support Details with the same facts
 * everywhere), and the whole error in the log. A cancelled sign-in is not a failure to show.
 */
export function presentFailure(services: FeatureServices, error: unknown, context: FailureContext = {}): void {
  const { log, ports } = services;
  const where = `[${context.command ?? 'intune'}]`;
  const facts = (exchange?: Exchange, outcome?: string): SupportFacts => ({
    ...(context.file ? { file: context.file } : {}),
    ...(outcome ? { outcome } : {}),
    ...(exchange ? { exchange } : {}),
    ...(context.plan ? { plan: context.plan } : {}),
    ...tenantOf(services),
    extensionVersion: services.version,
  });
  if (!isIntuneFailure(error)) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`${where} ${error instanceof Error && error.stack ? error.stack : message}`);
    notify(ports, 'error', l10n.t('Intune: {0}', message), { log });
    return;
  }
  switch (error.kind) {
    case 'setup':
      log.error(`${where} ${error.message}`);
      notify(ports, 'error', error.message, { log, settings: (error as { setting?: string }).setting ?? 'intuneMao' });
      return;
    case 'sign-in': {
      const failure = error as SignInFailure;
      if (failure.reason === 'cancelled') {
        log.info(`[auth] ${failure.message}`);
        return;
      }
      log.error(`[auth] ${failure.message}`);
      if (failure.reason === 'consent' || failure.reason === 'app' || failure.reason === 'account') {
        const message = context.plan ? permissionAdvice(context.plan, services.signIn.lastTokenSummary(), failure.message) : failure.message;
        notify(ports, 'error', message, { log, setupGuide: services.setupGuide, supportDetails: supportDetails(facts(undefined, 'sign-in refused')) });
      } else {
        notify(ports, 'error', failure.message, { log, ...(failure.reason !== 'failed' ? { setupGuide: services.setupGuide } : {}) });
      }
      return;
    }
    case 'permission':
      log.error(`${where} ${error.message}`);
      notify(ports, 'error', error.message, {
        log,
        setupGuide: services.setupGuide,
        supportDetails: supportDetails(facts(undefined, 'refused before sending')),
      });
      return;
    case 'unsafe-destination':
      log.error(`${where} ${error.message}`);
      notify(ports, 'error', error.message, { log });
      return;
    case 'graph': {
      const exchange = (error as GraphReadFailure).exchange;
      log.error(`${where} ${error.message}${exchange.status !== undefined ? `\n${describeResponse(exchange)}` : ''}`);
      const permission = isPermissionFailure(exchange);
      const message = permission && context.plan ? permissionAdvice(context.plan, services.signIn.lastTokenSummary(), error.message) : error.message;
      notify(ports, 'error', message, {
        log,
        supportDetails: supportDetails(facts(exchange, 'listing failed')),
        ...(permission ? { setupGuide: services.setupGuide } : {}),
      });
      return;
    }
  }
}

/** The tenant of the account signed in now, for support details. */
export function tenantOf(services: FeatureServices): { tenantId?: string } {
  const tenantId = services.accounts.current?.tenantId;
  return tenantId ? { tenantId } : {};
}

/** Sending and listing need a trusted workspace: checked in each command too, since commands can be run from anywhere. */
export function refuseUntrusted(services: FeatureServices, message: string): void {
  notify(services.ports, 'warning', message, {
    more: [{ title: l10n.t('Manage Workspace Trust'), run: () => vscode.commands.executeCommand('workbench.trust.manage') }],
  });
}
