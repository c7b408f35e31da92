import vscode = require('vscode');
import { l10n } from 'vscode';
import { openOperationDocument } from '../shared/jsonMode';
import { planFromSettings } from '../shared/connectionPlan';
import { fileTargets } from '../shared/fileTarget';
import { loadCore } from '../shared/loadCore';
import { fileLabel, isMaoDocument } from '../shared/maoFiles';
import { previewScheme } from '../previewDocuments';
import { targetLabel } from '../shared/targetSummary';
import { describeProblem, describeRequest } from './exchangeLog';
import type { FeatureServices } from './featureServices';
import { graphClientFor } from './graphConnection';
import { notify } from './messages';

const unchosenId = '00000000-0000-0000-0000-000000000000';

/**
 * Preview Request (dry run): the exact request Send would make for the current buffer, with the token
 * shown as [redacted], without signing in or sending anything.
 */
export async function previewRequestCommand(services: FeatureServices, uri?: unknown): Promise<string | undefined> {
  const core = loadCore();
  const document = uri instanceof vscode.Uri ? await openOperationDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!isMaoDocument(document)) {
    notify(services.ports, 'warning', l10n.t('Open a *.mao.json file to preview its request.'));
    return undefined;
  }
  const label = fileLabel(document.uri);
  const text = document.getText();
  const validation = core.validateOperationText(text);
  if (!validation.valid) {
    const errors = validation.problems.filter((p) => p.severity === 'error');
    for (const problem of errors) services.log.error(`[preview] ${describeProblem(label, problem)}`);
    notify(
      services.ports,
      'error',
      l10n.t(
        '{0} has {1} problem(s) to fix before it can be sent; the first, line {2}: {3}',
        label,
        String(errors.length),
        String(errors[0]?.line ?? 1),
        errors[0]?.message ?? '',
      ),
      { log: services.log },
    );
    return undefined;
  }
  const plan = planFromSettings();
  const found = fileTargets(services.targets, document, validation.parsed)?.targets ?? [];
  const [first, ...others] = found;
  const prepared = core.prepareOperation(label, text, { target: plan.target }, plan.settings.apiVersion, first?.id ?? unchosenId);
  const client = graphClientFor(services, plan, 'write');
  const request = prepared.request!;
  const shown = { ...request, headers: client.displayHeaders(request, core.newGuid()) };
  const url = first ? shown.url : shown.url.replace(unchosenId, '{managedAppRegistrationId}');
  const named = found.map((target) => `${targetLabel(target)} (${target.id})`);
  const preview = [
    `# ${l10n.t('Dry run of {0}: nothing was sent.', label)}`,
    `# ${l10n.t('Target')}: ${first ? named[0] : l10n.t('not chosen yet (Send will ask)')}`,
    ...(others.length
      ? [
          `# ${l10n.t('The same request goes to {0} more registration(s), one operation each:', String(others.length))}`,
          ...named.slice(1).map((name) => `#   ${name}`),
        ]
      : []),
    `# ${l10n.t('A new client-request-id is made for each real send; the token is added at send time.')}`,
    '',
    describeRequest({ ...shown, url }),
    '',
  ].join('\n');
  services.log.info(`[preview] ${label}\n${describeRequest({ ...shown, url })}`);
  const previewUri = vscode.Uri.from({ scheme: previewScheme, path: `/${label.replace(/\.mao\.json$/, '')}.request.http` });
  services.previews.set(previewUri, services.log.redact(preview));
  const shownDocument = await vscode.workspace.openTextDocument(previewUri);
  await vscode.window.showTextDocument(shownDocument, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  return preview;
}
