import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sampleIds } from '../../src/emulator';
import {
  closeAllEditors,
  operationText,
  ProgressControl,
  send,
  setUserSettings,
  useIntuneFixture,
  waitFor,
  writeWorkspaceFile,
  type SendFileResult,
} from './intuneTestKit';
import { answerSaveDialog, assertNoTokenParts, iconOf, journalOf, newestRun, outcomes, RunsViewReader } from './runsKit';
import { clickItem, RegistrationsViewReader, resetRegistrationsView } from './sidebarKit';

const { registrations: ids, users, tenantId } = sampleIds;

describe('The Intune side bar: Runs (every send is a run)', function () {
  this.timeout(120000);
  const intune = useIntuneFixture({ emulator: { pageSize: 4 } });
  const runs = (): RunsViewReader => new RunsViewReader(intune.api);
  const posts = (): number => intune.posts();

  beforeEach(resetRegistrationsView);
  // Show Run opens the Intune side bar: the suites after this one expect the explorer.
  afterEach(() => vscode.commands.executeCommand('workbench.view.explorer'));
  after(async () => {
    await setUserSettings({ writeLimit: undefined, runsKept: undefined });
    await resetRegistrationsView();
    await closeAllEditors();
  });

  it('records a send of one file to registrations chosen in the Registrations view as one run: its items, counts, and Show Run', async () => {
    await vscode.commands.executeCommand('intuneMao.registrations.filter', users.megan);
    const megan = (await new RegistrationsViewReader(intune.api).loadAll()).filter((s) => s.item.contextValue === 'registration');
    assert.equal(megan.length, 3, "Megan's registrations, chosen by a filter");
    intune.emulator.injectFault({ method: 'POST', status: 400, code: 'BadRequest', intuneMessage: 'The device is not enrolled.', skip: 1 });
    const file = await writeWorkspaceFile('bulk.mao.json', operationText({ displayName: 'Wipe Megan' }));
    intune.messages.choose = (m) => (m.buttons.includes('Show Run') ? 'Show Run' : undefined);
    const results = await vscode.commands.executeCommand<SendFileResult[]>(
      'intuneMao.registrations.sendToSelected',
      megan[0]!.node,
      megan.map((s) => s.node),
      file,
    );

    assert.deepEqual(
      results.map((r) => r.outcome),
      ['created', 'failed', 'created'],
    );
    assert.equal(new Set(results.map((r) => r.runId)).size, 1, 'one run');
    const run = await newestRun(intune.api);
    assert.equal(run.id, results[0]!.runId);
    assert.deepEqual(
      run.items.map((item) => item.registrationId),
      results.map((r) => r.registrationId),
    );
    assert.deepEqual(outcomes(run), ['created', 'failed', 'created']);
    assert.deepEqual([run.tenantId, run.account, run.cloud.emulator, run.apiVersion], [tenantId, 'admin@contoso.example', true, 'beta']);
    assert.equal(run.rounds.length, 1);
    assert.ok(run.rounds[0]!.endedAt! >= run.startedAt);
    assert.match(intune.messages.last()?.text ?? '', /^3 operations from 1 file\(s\): 2 created, 1 failed, 0 unknown, 0 invalid, 0 not sent\.$/);

    const shown = await runs().run(run.id);
    assert.match(shown.label, /bulk\.mao\.json$/);
    assert.match(shown.description, /^\d{4}-\d\d-\d\d \d\d:\d\d UTC · 3 targets · 2 created, 1 failed · \d+ s$/);
    assert.equal(iconOf(shown), 'error');
    for (const text of [tenantId, 'admin@contoso.example', 'Global', 'local emulator', 'bulk.mao.json'])
      assert.ok(shown.tooltip.includes(text), `the tooltip names ${text}`);
    const items = await runs().children(shown.node);
    assert.deepEqual(items.map(iconOf), ['pass', 'error', 'pass']);
    assert.match(items[1]!.description, /^failed \(HTTP 400\): The device is not enrolled\.$/, 'the decoded error as the description');
    assert.match(items[0]!.label, /Megan|Pixel|iPhone|iPad/);
    await waitFor(() => intune.api.runs.view.visible && intune.api.runs.view.selection.includes(shown.node), 'Show Run to reveal the run in the Runs view');
  });

  it('shows one cancellable notification with done/total, counts and the wait for the write window; cancelled, nothing is left half-known', async () => {
    await setUserSettings({ writeLimit: '2/30' });
    const progress = new ProgressControl(intune.api);
    try {
      const targets = [ids.meganAndroidOutlook, ids.alexIphoneOutlook, ids.lidiaAndroidTeams, ids.diegoIpadTeams, ids.adeleIphoneOffice, ids.meganIpadOutlook];
      const file = await writeWorkspaceFile('paced.mao.json', operationText({ $registrationIds: targets }));
      const sending = send(file);
      const shown = await waitFor(
        () => progress.shown.find((p) => p.messages.some((m) => /waiting for the write window until/.test(m) && /left/.test(m))),
        'the wait for the write window, with the time left',
      );
      assert.equal(progress.shown.length, 1, 'one notification for the run');
      assert.equal(shown.title, 'Sending 6 operations to Intune');
      assert.match(
        shown.messages.find((m) => /waiting for the write window/.test(m))!,
        /^2\/6 · 2 created · about \d+ (s|min \d+ s) left · waiting for the write window until .+$/,
      );
      progress.cancel();
      const results = await sending;

      assert.deepEqual(
        results.map((r) => r.outcome),
        ['created', 'created', 'skipped', 'skipped', 'skipped', 'skipped'],
      );
      targets.forEach((id, index) => assert.equal(intune.emulator.operationsOf(id).length, index < 2 ? 1 : 0));
      assert.equal(posts(), 2);
      assert.match(intune.messages.last()?.text ?? '', /^6 operations from 1 file\(s\): 2 created, 0 failed, 0 unknown, 0 invalid, 4 not sent\.$/);
      const run = await newestRun(intune.api);
      assert.deepEqual(
        outcomes(run),
        results.map((r) => r.outcome),
      );
      assert.equal(run.rounds[0]!.stopped, true);
      const journal = await journalOf(intune.api, run);
      const sent = journal.filter((r) => r['type'] === 'sending').map((r) => r['key']);
      const settled = journal.filter((r) => r['type'] === 'result').map((r) => r['key']);
      assert.deepEqual(
        sent,
        run.items.slice(0, 2).map((item) => item.key),
        'the journal shows only the two created ones sent',
      );
      assert.deepEqual(
        sent.filter((key) => !settled.includes(key)),
        [],
        'and each with its result: a later round would send the rest, and nothing twice',
      );
    } finally {
      progress.dispose();
      await setUserSettings({ writeLimit: undefined });
    }
  });

  it('keeps the runs across windows (a store of its own reads the same), at most intuneMao.runsKept, the oldest going with their journals', async () => {
    const uri = await writeWorkspaceFile('kept.mao.json', operationText({ $registrationId: ids.alexAndroidEdge }));
    await send(uri);
    const live = JSON.parse(JSON.stringify(await intune.api.runs.list())) as unknown;
    assert.deepEqual(await intune.api.runs.readFresh(), live, 'what the next window reads is what this one holds');

    await setUserSettings({ runsKept: 2 });
    try {
      const before = (await intune.api.runs.list()).map((run) => run.id);
      assert.ok(before.length >= 2);
      for (let n = 0; n < 2; n++) await send(uri);
      const kept = (await intune.api.runs.list()).map((run) => run.id);
      assert.equal(kept.length, 2);
      assert.ok(!kept.includes(before[0]!), 'the runs before are gone');
      assert.deepEqual(
        (await intune.api.runs.readFresh()).map((run) => run.id),
        kept,
      );
      const files = (await intune.api.runs.files()).map((file) => path.basename(file)).sort();
      assert.deepEqual(files, kept.flatMap((id) => [`${id}.journal.ndjson`, `${id}.run.json`]).sort(), 'their files and journals are gone too');
    } finally {
      await setUserSettings({ runsKept: undefined });
    }
  });

  it('exports a run as CSV and as NDJSON through the save dialog, with stable columns', async () => {
    intune.emulator.injectFault({ method: 'POST', status: 400, code: 'BadRequest', intuneMessage: '=HYPERLINK("http://x", "click")', skip: 1 });
    const file = await writeWorkspaceFile('export.mao.json', operationText({ $registrationIds: [ids.diegoAndroidOffice, ids.adeleAndroidOneDrive] }));
    const results = await send(file);
    const run = await newestRun(intune.api);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'intune-mao-export-'));
    const dialog = answerSaveDialog(intune.api, () => vscode.Uri.file(path.join(folder, `run.${dialog.asked.length === 1 ? 'csv' : 'ndjson'}`)));
    try {
      const node = (await runs().run(run.id)).node;
      const csvUri = await vscode.commands.executeCommand<vscode.Uri>('intuneMao.runs.export', node, undefined, 'csv');
      const csv = fs.readFileSync(csvUri.fsPath, 'utf8').split('\r\n');
      assert.equal(csv[0], 'file,registration,outcome,status,operation id,request-id,client-request-id,attempts,first sent,error code,message');
      const [created, failed] = results;
      assert.match(
        csv[1]!,
        new RegExp(
          `^scratch/\\d+-export\\.mao\\.json,${created!.registrationId},created,201,${created!.operationId},${created!.requestId},${created!.clientRequestId},1,\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z,,$`,
        ),
      );
      assert.match(
        csv[2]!,
        new RegExp(
          `^scratch/\\d+-export\\.mao\\.json,${failed!.registrationId},failed,400,,${failed!.requestId},${failed!.clientRequestId},1,[^,]+,BadRequest,"'=HYPERLINK\\(""http://x"", ""click""\\)"$`,
        ),
        'a formula in a message is defused',
      );
      assert.equal(csv.length, 4, 'a row per operation and the final line break');

      const ndjsonUri = await vscode.commands.executeCommand<vscode.Uri>('intuneMao.runs.export', node, undefined, 'ndjson');
      const lines = fs
        .readFileSync(ndjsonUri.fsPath, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(Object.keys(lines[0]!), [
        'file',
        'registrationId',
        'outcome',
        'status',
        'operationId',
        'requestId',
        'clientRequestId',
        'attempts',
        'firstSentAt',
        'errorCode',
        'message',
      ]);
      assert.deepEqual(
        lines.map((l) => [l['registrationId'], l['outcome'], l['status'], l['operationId'], l['errorCode']]),
        [
          [created!.registrationId, 'created', 201, created!.operationId, null],
          [failed!.registrationId, 'failed', 400, null, 'BadRequest'],
        ],
      );
      assert.equal(lines[1]!['message'], '=HYPERLINK("http://x", "click")', 'NDJSON keeps the text as it is');
      assert.ok(dialog.asked.every((options) => options.defaultUri?.path.endsWith(`intune-run-${run.id}.${options === dialog.asked[0] ? 'csv' : 'ndjson'}`)));
    } finally {
      dialog.restore();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('never keeps a token: not in a run, a journal, an exchange shown, an export, nor any other file or state the extension keeps, even when the server echoes it back', async () => {
    intune.emulator.injectFault({ method: 'POST', echoAuthorization: true, status: 400, code: 'BadRequest' });
    intune.emulator.injectFault({ method: 'POST', echoAuthorization: true, status: 504, skip: 1 });
    const file = await writeWorkspaceFile(
      'echo.mao.json',
      operationText({ $registrationIds: [ids.alexIphoneOutlook, ids.lidiaIphoneOneDrive, ids.meganIphoneEdge] }),
    );
    const results = await send(file);
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['failed', 'unknown', 'created'],
    );
    const run = await newestRun(intune.api);
    assert.ok(run.items[0]!.exchange?.response?.body?.includes('[redacted]'), 'the echoed token was redacted in what the run keeps');
    const stored = await intune.api.runs.stored();
    for (const suffix of ['.run.json', '.journal.ndjson'])
      assert.ok(
        stored.some((s) => s.where.endsWith(`${run.id}${suffix}`)),
        `the scan reads the run's ${suffix}`,
      );
    for (const state of ['workspaceState', 'globalState'])
      assert.ok(
        stored.some((s) => s.where.startsWith(`${state} `)),
        `and the extension's ${state}`,
      );
    for (const { where, text } of stored) assertNoTokenParts(text, intune.token, where);
    const node = (await runs().run(run.id)).node;
    const journal = await vscode.commands.executeCommand<string>('intuneMao.runs.openJournal', node);
    assert.match(journal, /^\{"type":"job","format":"intune-mao-journal"/);
    assertNoTokenParts(journal, intune.token, 'the journal shown');
    for (const item of await runs().children(node)) assertNoTokenParts((await clickItem(item)) as string, intune.token, `the exchange of ${item.label}`);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'intune-mao-export-'));
    const dialog = answerSaveDialog(intune.api, () => vscode.Uri.file(path.join(folder, `run-${dialog.asked.length}`)));
    try {
      for (const format of ['csv', 'ndjson']) {
        const exported = await vscode.commands.executeCommand<vscode.Uri>('intuneMao.runs.export', node, undefined, format);
        assertNoTokenParts(fs.readFileSync(exported.fsPath, 'utf8'), intune.token, `the ${format} export`);
      }
    } finally {
      dialog.restore();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('cancelled while a request is in flight: it gets its grace, then it is stopped and the run says its outcome is unknown', async () => {
    const progress = new ProgressControl(intune.api);
    try {
      intune.emulator.injectFault({ method: 'POST', delayMs: 15000, skip: 1 });
      const targets = [ids.meganIphoneEdge, ids.diegoAndroidOffice, ids.adeleIphoneOffice];
      const sending = send(await writeWorkspaceFile('in-flight.mao.json', operationText({ $registrationIds: targets })));
      await waitFor(() => posts() === 2, 'the second request in flight');
      progress.cancel();
      const results = await sending;
      assert.deepEqual(
        results.map((r) => r.outcome),
        ['created', 'unknown', 'skipped'],
      );
      assert.equal(posts(), 2, 'nothing started after the cancel');
      const run = await newestRun(intune.api);
      assert.match(run.items[1]!.result?.reason ?? '', /Cancelled while waiting for the answer\. The operation may or may not have been created/);
      assert.match(intune.messages.last()?.text ?? '', /1 unknown, 0 invalid, 1 not sent\.$/);
      assert.ok(
        progress.shown[0]!.messages.some((m) => /stopping/.test(m)),
        'the notification said it was stopping',
      );
      const shown = await runs().run(run.id);
      assert.ok(shown.item.contextValue?.split(' ').includes('unknown'), 'the run offers Check Unknown Outcomes');
    } finally {
      progress.dispose();
    }
  });

  it('settles a run the window closed on, when it is next read: what its journal says, unknown for an answer never received, skipped for what never left', async () => {
    await send(
      await writeWorkspaceFile('closed.mao.json', operationText({ $registrationIds: [ids.lidiaAndroidTeams, ids.lidiaIphoneOneDrive, ids.alexAndroidEdge] })),
    );
    const done = await newestRun(intune.api);
    const folder = path.dirname((await intune.api.runs.files())[0]!);
    const id = done.id.replace(/-[0-9a-f]{4}$/, '-dead');
    const [first, second, third] = done.items.map((item) => item.key);
    const interrupted = {
      ...done,
      id,
      rounds: [{ ...done.rounds[0]!, endedAt: undefined }],
      items: done.items.map((item, index) => (index === 0 ? item : { ...item, result: undefined, exchange: undefined })),
    };
    const journal = fs
      .readFileSync(path.join(folder, `${done.id}.journal.ndjson`), 'utf8')
      .split('\n')
      .filter((line) => line && !line.includes(`"key":${JSON.stringify(third)}`));
    journal.push(JSON.stringify({ type: 'sending', key: second, at: Date.now(), clientRequestId: 'c', via: 'direct' }));
    fs.writeFileSync(path.join(folder, `${id}.run.json`), JSON.stringify(interrupted));
    fs.writeFileSync(path.join(folder, `${id}.journal.ndjson`), journal.join('\n') + '\n');
    try {
      const settled = (await intune.api.runs.readFresh()).find((run) => run.id === id)!;
      assert.deepEqual(
        settled.items.map((item) => [item.key, item.result?.outcome]),
        [
          [first, 'created'],
          [second, 'unknown'],
          [third, 'skipped'],
        ],
      );
      assert.match(settled.items[1]!.result?.reason ?? '', /Sent, then the window closed before the answer was known/);
      assert.match(settled.items[2]!.result?.reason ?? '', /Not sent: the window closed during the run/);
      assert.equal(settled.rounds[0]!.stopped, true);
      assert.ok(settled.rounds[0]!.endedAt! >= settled.startedAt, 'its round has ended');
    } finally {
      for (const suffix of ['.run.json', '.journal.ndjson']) fs.rmSync(path.join(folder, `${id}${suffix}`), { force: true });
    }
  });
});
