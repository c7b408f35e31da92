import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sampleIds } from '../../src/emulator';
import { closeAllEditors, extensionId, operationText, send, useIntuneFixture, writeWorkspaceFile } from './intuneTestKit';
import { iconOf, journalOf, newestRun, outcomes, RunsViewReader, type RunRecord } from './runsKit';
import { clickItem } from './sidebarKit';
import { evaluateWhen } from './whenClause';

const { registrations: ids, tenantId } = sampleIds;
type Checked = Array<{ key: string; outcome: string; operationId?: string; reconciliation: { found: boolean; failure?: string } }>;

describe('The Runs view: checking, sending again, reading an exchange, deleting', function () {
  this.timeout(120000);
  const intune = useIntuneFixture({ emulator: { pageSize: 4 } });
  const runs = (): RunsViewReader => new RunsViewReader(intune.api);
  const nodeOf = async (run: RunRecord): Promise<unknown> => (await runs().run(run.id)).node;
  const targets = [ids.meganAndroidOutlook, ids.alexIphoneOutlook, ids.lidiaAndroidTeams, ids.diegoIpadTeams];
  after(closeAllEditors);

  /**
   * A run of four whose second and third items end unknown and unchecked (the listing refused during the run),
   * both after a 504; the second's operation then lands, as a write behind a gateway timeout can. (It lands
   * seconds after the send, past the run's own wait before checking: an operation stamped within a few
   * milliseconds of the send would be too close to tell.)
   */
  const runWithUncheckedUnknowns = async (): Promise<RunRecord> => {
    intune.emulator.injectFault({ method: 'POST', status: 504, skip: 1, times: 2 });
    for (const id of [targets[1], targets[2]]) intune.emulator.injectFault({ method: 'GET', path: `${id}/operations`, status: 403 });
    const results = await send(await writeWorkspaceFile('unknown.mao.json', operationText({ $registrationIds: targets })));
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['created', 'unknown', 'unknown', 'created'],
    );
    const run = await newestRun(intune.api);
    assert.ok(
      run.items.slice(1, 3).every((item) => item.result?.reconciliation?.failure),
      'the check during the run could not list them',
    );
    await landLate(targets[1]!);
    return run;
  };
  /** The operation the run's body would create on the registration, written to Graph as another client would. */
  const landLate = async (registrationId: string): Promise<void> => {
    const response = await fetch(`${intune.emulator.url}/beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${intune.token}`, 'content-type': 'application/json' },
      body: operationText(),
    });
    assert.equal(response.status, 201, 'the late operation was created');
  };

  it('Check Unknown Outcomes: finds an operation that landed after a 504 (reconciled), says when it found nothing, and sends nothing', async () => {
    const run = await runWithUncheckedUnknowns();
    const postsBefore = intune.posts();
    const checked = await vscode.commands.executeCommand<Checked>('intuneMao.runs.checkUnknown', await nodeOf(run));
    assert.equal(intune.posts(), postsBefore, 'a check sends nothing');
    const created = String(intune.emulator.operationsOf(targets[1]!)[0]!['id']);
    assert.deepEqual(
      checked.map((c) => [c.outcome, c.operationId, c.reconciliation.found, c.reconciliation.failure]),
      [
        ['created', created, true, undefined],
        ['unknown', undefined, false, undefined],
      ],
    );
    assert.match(intune.messages.last()?.text ?? '', /^Checked 2 unknown outcome\(s\): 1 found \(created\), 1 not found, 0 still open/);
    assert.ok(intune.messages.last()?.buttons.includes('Show Run'));

    const kept = (await intune.api.runs.readFresh()).find((r) => r.id === run.id)!;
    assert.deepEqual(outcomes(kept), ['created', 'created', 'unknown', 'created'], 'kept across windows');
    assert.equal(kept.items[1]!.result?.operationId, created);
    assert.deepEqual(
      kept.rounds.map((round) => round.kind),
      ['send', 'check'],
    );
    const items = await runs().children(await nodeOf(run));
    assert.equal(iconOf(items[1]!), 'pass-filled', 'a reconciled item is marked');
    assert.match(items[1]!.description, /reconciled/);
    assert.match(items[2]!.description, /^unknown \(HTTP 504\)/);
    assert.match(items[2]!.tooltip, /Not among the registration's operations at \d{4}-/);
    assert.ok((await journalOf(intune.api, run)).some((record) => record['type'] === 'check'));
  });

  it('Re-send Unknown Not Found: after an explicit confirmation, only the item a check found absent, checked once more', async () => {
    const run = await runWithUncheckedUnknowns();
    await vscode.commands.executeCommand('intuneMao.runs.checkUnknown', await nodeOf(run));
    intune.confirmations.asked.splice(0);
    intune.confirmations.answer = () => false;
    assert.equal(await vscode.commands.executeCommand('intuneMao.runs.resendUnknown', await nodeOf(run)), undefined);
    const [asked] = intune.confirmations.asked;
    assert.match(
      asked!.message,
      new RegExp(
        `^Send 1 operation\\(s\\) whose outcome was unknown again in tenant ${tenantId} \\(Global, local emulator http://127\\.0\\.0\\.1:\\d+\\) as admin@contoso\\.example\\?$`,
      ),
    );
    assert.match(asked!.detail, new RegExp(`unknown\\.mao\\.json → .* \\(unknown, HTTP 504\\)`));
    assert.equal(asked!.action, 'Send 1 Again');
    const postsBefore = intune.posts();
    intune.confirmations.answer = () => true;
    await vscode.commands.executeCommand('intuneMao.runs.resendUnknown', await nodeOf(run));
    assert.equal(intune.posts(), postsBefore + 1, 'one operation sent again');
    assert.deepEqual(
      targets.map((id) => intune.emulator.operationsOf(id).length),
      [1, 1, 1, 1],
      'one operation per target, none twice',
    );
    const after = await newestRun(intune.api);
    assert.deepEqual(outcomes(after), ['created', 'created', 'created', 'created']);
    assert.equal(after.items[2]!.result?.resent, true);
    assert.deepEqual(
      after.rounds.map((round) => round.kind),
      ['send', 'check', 'resendUnknown'],
    );
  });

  it('Re-send Definite Failures: says how many and where, sends nothing when refused, and only the failures when confirmed', async () => {
    intune.emulator.injectFault({ method: 'POST', status: 400, code: 'BadRequest', skip: 1 });
    intune.emulator.injectFault({ method: 'POST', status: 409, code: 'Conflict', skip: 2 });
    const results = await send(await writeWorkspaceFile('failures.mao.json', operationText({ $registrationIds: targets.slice(0, 3) })));
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['created', 'failed', 'failed'],
    );
    const run = await newestRun(intune.api);
    intune.confirmations.asked.splice(0);
    intune.confirmations.answer = () => false;
    const postsBefore = intune.posts();
    await vscode.commands.executeCommand('intuneMao.runs.resendFailures', await nodeOf(run));
    assert.equal(intune.posts(), postsBefore, 'not confirmed: nothing sent');
    const [asked] = intune.confirmations.asked;
    assert.match(
      asked!.message,
      new RegExp(
        `^Send 2 operation\\(s\\) of this run again in tenant ${tenantId} \\(Global, local emulator http://127\\.0\\.0\\.1:\\d+\\) as admin@contoso\\.example\\?$`,
      ),
    );
    assert.match(asked!.detail, /failures\.mao\.json → .* \(failed, HTTP 400\)\n.*failures\.mao\.json → .* \(failed, HTTP 409\)/);
    assert.match(asked!.detail, /Only items whose answer proves nothing was created/);

    intune.confirmations.answer = () => true;
    await vscode.commands.executeCommand('intuneMao.runs.resendFailures', await nodeOf(run));
    assert.equal(intune.posts(), postsBefore + 2);
    assert.deepEqual(
      targets.slice(0, 3).map((id) => intune.emulator.operationsOf(id).length),
      [1, 1, 1],
      'the created one was not sent again',
    );
    const after = await newestRun(intune.api);
    assert.equal(after.id, run.id, 'the same run, continued');
    assert.deepEqual(outcomes(after), ['created', 'created', 'created']);
    assert.deepEqual(
      after.rounds.map((round) => [round.kind, round.items]),
      [
        ['send', 3],
        ['resendFailures', 2],
      ],
    );
    assert.equal((await journalOf(intune.api, run)).filter((record) => record['type'] === 'run').length, 2, 'the journal goes on, a run line per round');
    assert.match(intune.messages.last()?.text ?? '', /^Sent 2 operation\(s\) of the run again: 2 created, 0 failed, 0 unknown, 0 not sent\.$/);
  });

  it("opens an item's exchange in a read-only document: request, answer, ids and the core's words, the token redacted", async () => {
    const [result] = await send(await writeWorkspaceFile('exchange.mao.json', operationText({ $registrationId: ids.adeleIphoneOffice })));
    const run = await newestRun(intune.api);
    assert.deepEqual(intune.messages.last()?.buttons, ['Show Run', 'Show Output'], 'a lone send is a run too');
    const [item] = await runs().children(await nodeOf(run));
    const text = (await clickItem(item!)) as string;
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.uri.scheme, 'intune-mao-preview', 'a read-only document');
    assert.equal(document?.getText(), text);
    const lines = [
      `# ✔ created  ${result!.file} → ${ids.adeleIphoneOffice} (HTTP 201, `,
      `#     operation id ${result!.operationId}`,
      `# request-id: ${result!.requestId} · client-request-id: ${result!.clientRequestId}`,
      `POST ${intune.emulator.url}/beta/deviceAppManagement/managedAppRegistrations/${ids.adeleIphoneOffice}/operations`,
      'Authorization: Bearer [redacted]',
      `client-request-id: ${result!.clientRequestId}`,
      '"displayName": "Wipe"',
      'HTTP 201 · ',
      `request-id: ${result!.requestId}`,
      `"id": "${result!.operationId}"`,
    ];
    for (const line of lines) assert.ok(text.includes(line), `the document holds ${line}:\n${text}`);
    assert.ok(!text.includes(intune.token.split('.')[1]!));
  });

  it('deletes a run, then all of them after a confirmation, and then says there is no run yet', async () => {
    await send(await writeWorkspaceFile('gone.mao.json', operationText({ $registrationId: ids.alexAndroidEdge })));
    const run = await newestRun(intune.api);
    assert.equal(await vscode.commands.executeCommand('intuneMao.runs.delete', await nodeOf(run)), 1);
    assert.ok(!(await intune.api.runs.list()).some((r) => r.id === run.id));
    assert.ok(!(await intune.api.runs.files()).some((file) => path.basename(file).startsWith(run.id)), 'its files and journal are gone');
    intune.confirmations.answer = () => false;
    assert.equal(await vscode.commands.executeCommand('intuneMao.runs.deleteAll'), 0);
    assert.ok((await intune.api.runs.list()).length > 0);
    intune.confirmations.answer = () => true;
    assert.ok((await vscode.commands.executeCommand<number>('intuneMao.runs.deleteAll')) > 0);
    assert.match(intune.confirmations.asked.at(-1)!.message, /^Delete all \d+ runs of this workspace, with their journals\?$/);
    assert.deepEqual(await runs().children(), []);
    assert.deepEqual(await intune.api.runs.files(), []);
    assert.match(welcomeForNoRun(), /No run yet\./);
  });
});

/** The Runs view's welcome content when it holds no run (its when-clause evaluated like VS Code does). */
function welcomeForNoRun(): string {
  const root = vscode.extensions.getExtension(extensionId)!.extensionPath;
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { viewsWelcome: Array<{ view: string; contents: string; when: string }> };
  };
  const strings = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const shown = manifest.contributes.viewsWelcome.filter((w) => w.view === 'intuneMao.runs' && evaluateWhen(w.when, { 'intuneMao.runs.empty': true }));
  assert.equal(shown.length, 1);
  return strings[/^%(.+)%$/.exec(shown[0]!.contents)![1]!] ?? '';
}
