import * as vscode from 'vscode';
import type { ClientEvent, GraphClient } from '../core/index';
import type { ConnectionPlan } from './connectionPlan';
import type { IntuneLog } from './intuneLog';
import { loadCore } from './loadCore';
import type { SignIn } from './signIn';

export interface Connection {
  readonly plan: ConnectionPlan;
  readonly client: GraphClient;
}

/** A Graph client for one command run: tokens from `signIn`, chatter to the log, cancellable with `signal`. */
export function connect(
  plan: ConnectionPlan, signIn: SignIn, log: IntuneLog, extensionVersion: string, signal?: AbortSignal, onEvent?: (event: ClientEvent) => void,
): Connection {
  const core = loadCore();
  const client = new core.GraphClient({
    target: plan.target,
    getToken: signIn.tokenProvider(plan, signal),
    userAgent: `intune-mao-vscode/${extensionVersion} (VS Code ${vscode.version}; ${process.platform})`,
    timeoutMs: plan.settings.timeoutSeconds * 1000,
    retry: { maxRetries: plan.settings.maxRetries },
    // Attempts and timings are chatter (debug); retries, redirects and re-authentication are worth reading.
    onEvent: (event) => {
      if (event.type === 'attempt' || event.type === 'response') log.debug(core.describeClientEvent(event)); else log.info(core.describeClientEvent(event));
      onEvent?.(event);
    },
  });
  return { plan, client };
}
