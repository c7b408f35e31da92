import { l10n } from 'vscode';
import { resolveGraphTarget } from '../../core/clouds';
import type { SandboxToken } from '../emulatorAuthProvider';
import { loadCore } from '../shared/loadCore';
import { readSettings } from '../shared/readSettings';

/**
 * Asks the local emulator's admin endpoint for a token with the scopes VS Code passes the sandbox provider. It
 * refuses unless the user settings say `signIn: "emulator"` with a loopback `graphUrl`, so no other host is
 * ever asked for (or handed) a token this way.
 */
export async function mintSandboxToken(scopes: readonly string[]): Promise<SandboxToken> {
  const origin = emulatorOrigin();
  const resource = scopes.map((s) => /^(https?:\/\/[^/]+)\//.exec(s)?.[1]).find(Boolean);
  const permissions = scopes.map((s) => s.replace(/^https?:\/\/[^/]+\//, '')).filter((s) => !s.startsWith('VSCODE_'));
  const claims = { scp: permissions.join(' '), ...(resource ? { aud: resource } : {}) };
  const response = await fetch(`${origin}/_emulator/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(claims),
  });
  const body = (await response.json().catch(() => undefined)) as { access_token?: unknown } | undefined;
  if (!response.ok || typeof body?.access_token !== 'string') {
    throw new Error(l10n.t('The emulator at {0} did not issue a token (HTTP {1}).', origin, String(response.status)));
  }
  const token = body.access_token;
  const summary = loadCore().summarizeToken(token);
  return { token, label: summary?.account ?? l10n.t('Emulator account'), ...(summary?.tenantId ? { tenantId: summary.tenantId } : {}), origin };
}

function emulatorOrigin(): string {
  const settings = readSettings();
  const target = settings.graphUrl ? resolveGraphTarget(settings.cloud, settings.graphUrl) : undefined;
  if (settings.signIn !== 'emulator' || !target?.isEmulator) {
    throw new Error(
      l10n.t(
        'Sandbox sign-in works only with the local emulator: set intuneMao.signIn to "emulator" and intuneMao.graphUrl to its loopback URL in your user settings.',
      ),
    );
  }
  return new URL(target.root).origin;
}
