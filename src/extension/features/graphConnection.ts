import vscode = require('vscode');
import type { ClientEvent, GraphClient } from '../../core/graphClient';
import type { GraphAccess } from '../../core/permissionPreflight';
import type { ConnectionPlan } from '../shared/connectionPlan';
import { loadCore } from '../shared/loadCore';
import type { FeatureServices } from './featureServices';
import { describeMissingPermission } from './messages';

/**
 * A Graph client for one command run that will `access` Graph: tokens from the sign-in service, each checked by
 * the permission pre-flight before it is used, chatter to the log, cancellable with `signal`.
 */
export function graphClientFor(
  services: FeatureServices,
  plan: ConnectionPlan,
  access: GraphAccess,
  signal?: AbortSignal,
  onEvent?: (event: ClientEvent) => void,
): GraphClient {
  const core = loadCore();
  const { log } = services;
  return new core.GraphClient({
    target: plan.target,
    getToken: core.withPermissionPreflight(services.signIn.tokenProvider(plan, signal), access, plan.settings.apiVersion, (missing) =>
      describeMissingPermission(plan, missing),
    ),
    userAgent: `intune-mao-vscode/${services.version} (VS Code ${vscode.version}; ${process.platform})`,
    timeoutMs: plan.settings.timeoutSeconds * 1000,
    retry: { maxRetries: plan.settings.maxRetries },
    // Attempts and timings are chatter (debug); retries, redirects and re-authentication are worth reading.
    onEvent: (event) => {
      if (event.type === 'attempt' || event.type === 'response') log.debug(core.describeClientEvent(event));
      else log.info(core.describeClientEvent(event));
      onEvent?.(event);
    },
  });
}
