import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, extensionId } from './intuneTestKit';
import { evaluateWhen, type Context } from './whenClause';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}
interface Manifest {
  main: string;
  activationEvents: string[];
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus: Record<string, MenuItem[]>;
    jsonValidation: Array<{ fileMatch: string | string[]; url: string }>;
    configuration: { properties: Record<string, { scope?: string; default?: unknown }> };
    authentication: Array<{ id: string; label: string }>;
  };
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
}

const extensionRoot = (): string => vscode.extensions.getExtension(extensionId)!.extensionPath;
/** package.json as written (the extension API's copy has the %…% strings already replaced). */
const manifest = (): Manifest => JSON.parse(fs.readFileSync(path.join(extensionRoot(), 'package.json'), 'utf8')) as Manifest;
const nls = (): Record<string, string> => JSON.parse(fs.readFileSync(path.join(extensionRoot(), 'package.nls.json'), 'utf8')) as Record<string, string>;

const file = (name: string): Context => ({ resourceFilename: name, explorerResourceIsFolder: false });
const folder = (name: string): Context => ({ resourceFilename: name, explorerResourceIsFolder: true });
const maoFiles = [file('wipe.mao.json'), file('x.mao.json'), file('.mao.json'), file('my.ops.mao.json')];
const otherFiles = [
  file('notes.json'),
  file('mao.json'),
  file('xmao.json'),
  file('wipe.mao.json.bak'),
  file('wipe.mao.jsonc'),
  file('wipe.maoXjson'),
  file('wipe.mao.json.txt'),
  file('wipe-mao.json'),
  file('settings.json'),
];
const sendLike = ['intuneMao.send', 'intuneMao.previewRequest', 'intuneMao.chooseTarget'];

const registrationsView = 'intuneMao.registrations';
/** A context for the side bar's menus: every key their clauses read. */
const inView = (fields: Context = {}): Context => ({
  view: registrationsView,
  viewItem: 'registration',
  listMultiSelection: false,
  'intuneMao.registrations.filtered': false,
  'intuneMao.registrations.state': 'loaded',
  'intuneMao.inUse': true,
  resourceFilename: 'wipe.mao.json',
  explorerResourceIsFolder: false,
  ...fields,
});
const item = (viewItem: string, multi = false): Context => inView({ viewItem, listMultiSelection: multi });
const otherItems = ['registrationGroup', 'operation', 'loadMore', 'note'];
/** The Runs view: a run's context value names what it holds (unknown, failures, notFound); a run going on is a liveRun. */
const inRuns = (viewItem = 'run', multi = false, empty = false): Context =>
  inView({ view: 'intuneMao.runs', viewItem, listMultiSelection: multi, 'intuneMao.runs.empty': empty });
const runKinds = ['run', 'run unknown', 'run failures', 'run unknown notFound', 'run unknown failures notFound', 'liveRun', 'runItem'];

/** Where each of the Runs view's entries must show: on the run kinds `shows` accepts, alone (or also in a multi-selection), in that view only. */
function runsExpectations(id: string, menu: string, inline: boolean): Array<[Context, boolean]> | undefined {
  const on = (shows: (kind: string) => boolean, multiToo = false): Array<[Context, boolean]> => [
    ...runKinds.flatMap((kind): Array<[Context, boolean]> => [
      [inRuns(kind), shows(kind)],
      [inRuns(kind, true), shows(kind) && (multiToo || inline)],
    ]),
    [{ ...inRuns('run unknown failures notFound'), view: registrationsView }, false],
  ];
  const finished = (kind: string): boolean => kind.startsWith('run') && kind !== 'runItem';
  if (menu === 'commandPalette') {
    if (id === 'intuneMao.runs.deleteAll')
      return [
        [inRuns(), true],
        [inRuns('run', false, true), false],
        [{ ...inRuns(), 'intuneMao.inUse': false }, false],
      ];
    return [
      [inRuns(), false],
      [inRuns('runItem'), false],
    ];
  }
  if (menu === 'view/title')
    return id === 'intuneMao.runs.deleteAll'
      ? [
          [inRuns(), true],
          [inRuns('run', false, true), false],
          [{ ...inRuns(), view: registrationsView }, false],
        ]
      : undefined;
  if (menu !== 'view/item/context') return undefined;
  switch (id) {
    case 'intuneMao.runs.checkUnknown':
      return on((kind) => finished(kind) && kind.includes('unknown'));
    case 'intuneMao.runs.resendFailures':
      return on((kind) => finished(kind) && kind.includes('failures'));
    case 'intuneMao.runs.resendUnknown':
      return on((kind) => finished(kind) && kind.includes('notFound'));
    case 'intuneMao.runs.export':
      return on(finished);
    case 'intuneMao.runs.openJournal':
      return on((kind) => finished(kind) || kind === 'liveRun');
    case 'intuneMao.runs.delete':
      return on(finished, true);
    default:
      return undefined;
  }
}

/** Where each of the side bar's menu entries must show (true) and not (false). */
function sidebarExpectations(entry: MenuItem, menu: string): Array<[Context, boolean]> | undefined {
  const id = entry.command;
  if (id.startsWith('intuneMao.runs.')) return runsExpectations(id, menu, entry.group?.startsWith('inline') ?? false);
  if (menu === 'commandPalette') {
    if (['intuneMao.registrations.refresh', 'intuneMao.registrations.groupBy', 'intuneMao.registrations.filter'].includes(id)) {
      return [
        [inView(), true],
        [inView({ 'intuneMao.inUse': false }), false],
      ];
    }
    if (id === 'intuneMao.registrations.clearFilter')
      return [
        [inView({ 'intuneMao.registrations.filtered': true }), true],
        [inView(), false],
      ];
    if (id.startsWith('intuneMao.registrations.'))
      return [
        [inView(), false],
        [item('registrationGroup', true), false],
      ]; // they need a tree item
    return undefined;
  }
  const elsewhere = inView({ view: 'explorer' });
  if (menu === 'view/title') {
    if (id === 'intuneMao.registrations.clearFilter')
      return [
        [inView({ 'intuneMao.registrations.filtered': true }), true],
        [inView(), false],
        [elsewhere, false],
      ];
    if (id === 'intuneMao.signIn')
      return [
        [inView({ 'intuneMao.registrations.state': 'signedOut' }), true],
        [inView(), false],
        [elsewhere, false],
      ];
    return [
      [inView(), true],
      [elsewhere, false],
    ];
  }
  if (menu !== 'view/item/context') return undefined;
  const inline = entry.group?.startsWith('inline') ?? false;
  const on = (kinds: string[], multi: boolean[] = [false, true]): Array<[Context, boolean]> =>
    ['registration', ...otherItems].flatMap((kind) => multi.map((m): [Context, boolean] => [item(kind, m), kinds.includes(kind)]));
  switch (id) {
    case 'intuneMao.registrations.setAsTarget':
      return [...on(['registration']), [{ ...item('registration'), view: 'explorer' }, false]];
    case 'intuneMao.registrations.send':
      return inline ? on(['registration']) : [...on(['registration'], [false]), [item('registration', true), false]];
    case 'intuneMao.registrations.sendToGroup':
      return inline ? on(['registrationGroup']) : [...on(['registrationGroup'], [false]), [item('registrationGroup', true), false]];
    case 'intuneMao.registrations.sendToSelected':
      return [...on(['registration', 'registrationGroup'], [true]), [item('registration'), false], [item('registrationGroup'), false]];
    case 'intuneMao.registrations.copyId':
      return on(['registration', 'operation']);
    case 'intuneMao.registrations.refresh':
      return on(['registration']);
    default:
      return undefined;
  }
}

/** Failures of one menu entry against what it must match; empty when it behaves. */
function whenFailures(item: MenuItem, menu: string): string[] {
  const failures: string[] = [];
  const check = (context: Context, expected: boolean): void => {
    let actual: boolean;
    try {
      actual = item.when === undefined ? true : evaluateWhen(item.when, context);
    } catch (error) {
      failures.push(`${menu} ${item.command}: ${(error as Error).message}`);
      return;
    }
    if (actual !== expected) failures.push(`${menu} ${item.command} when "${item.when}" is ${actual} for ${JSON.stringify(context)}`);
  };
  const sidebar = sidebarExpectations(item, menu);
  if (sidebar) {
    for (const [context, expected] of sidebar) check(context, expected);
  } else if (sendLike.includes(item.command)) {
    for (const context of maoFiles) check(context, true);
    for (const context of otherFiles) check(context, false);
    if (menu === 'explorer/context') check(folder('folder.mao.json'), false);
  } else if (item.command === 'intuneMao.newOperation' && menu === 'explorer/context') {
    check(folder('operations'), true);
    check(file('wipe.mao.json'), false);
    check(file('notes.json'), false);
  } else {
    failures.push(`${menu} ${item.command}: no expectation written for this entry`);
  }
  return failures;
}

describe('Manifest: commands, menus and when-clauses', () => {
  before(async () => {
    await activateExtension();
  });

  it('registers every contributed command, all in the category "Intune" with a localized title', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const strings = nls();
    const contributed = manifest().contributes.commands;
    assert.deepEqual(contributed.map((c) => c.command).sort(), [
      'intuneMao.chooseTarget',
      'intuneMao.newOperation',
      'intuneMao.previewRequest',
      'intuneMao.registrations.clearFilter',
      'intuneMao.registrations.copyId',
      'intuneMao.registrations.filter',
      'intuneMao.registrations.groupBy',
      'intuneMao.registrations.loadMore',
      'intuneMao.registrations.refresh',
      'intuneMao.registrations.send',
      'intuneMao.registrations.sendToGroup',
      'intuneMao.registrations.sendToSelected',
      'intuneMao.registrations.setAsTarget',
      'intuneMao.runs.checkUnknown',
      'intuneMao.runs.delete',
      'intuneMao.runs.deleteAll',
      'intuneMao.runs.export',
      'intuneMao.runs.openJournal',
      'intuneMao.runs.resendFailures',
      'intuneMao.runs.resendUnknown',
      'intuneMao.runs.showItem',
      'intuneMao.send',
      'intuneMao.showOutput',
      'intuneMao.signIn',
      'intuneMao.signOut',
    ]);
    for (const command of contributed) {
      assert.ok(registered.has(command.command), `${command.command} is registered`);
      assert.equal(command.category, '%command.category%');
      assert.equal(strings['command.category'], 'Intune');
      const key = /^%(.+)%$/.exec(command.title)?.[1];
      assert.ok(key && strings[key], `${command.command} has a title in package.nls.json`);
    }
    assert.equal(strings['command.send.title'], 'Send to Intune');
    const localized = vscode.extensions.getExtension(extensionId)!.packageJSON as Manifest;
    assert.equal(localized.contributes.commands.find((c) => c.command === 'intuneMao.send')?.title, 'Send to Intune', 'VS Code shows the localized title');
  });

  it('puts Send to Intune in the explorer, editor context and editor title menus', () => {
    const menus = manifest().contributes.menus;
    for (const menu of ['explorer/context', 'editor/context', 'editor/title', 'commandPalette']) {
      assert.ok(
        menus[menu]?.some((item) => item.command === 'intuneMao.send'),
        `Send to Intune is in ${menu}`,
      );
    }
  });

  it('every menu entry matches *.mao.json files and nothing else (x.mao.json yes, notes.json no)', () => {
    const menus = manifest().contributes.menus;
    const failures = Object.entries(menus).flatMap(([menu, items]) =>
      items.filter((i) => i.command.startsWith('intuneMao.')).flatMap((item) => whenFailures(item, menu)),
    );
    assert.deepEqual(failures, []);
    // Explicitly, as the issue states it:
    const send = menus['explorer/context']!.find((i) => i.command === 'intuneMao.send')!;
    assert.equal(evaluateWhen(send.when!, file('x.mao.json')), true);
    assert.equal(evaluateWhen(send.when!, file('notes.json')), false);
  });

  it('fails on a broken when-clause (the check above has teeth)', () => {
    const broken = [
      'resourceFilename =~ /.mao.json$/', // unescaped dots: matches wipe-mao.json
      'resourceFilename =~ /\\.mao\\.json/', // no anchor: matches wipe.mao.json.bak
      'resourceExtname == .json', // every JSON file (and a key the test does not model)
      'resourceFilename =~ /\\.mao\\.json$', // unterminated regex
      'resourceFilename =~ /\\.mao\\.json$/ &&', // dangling operator
      'resourceFilename =~ /\\.mao\\.json$/ || true',
    ];
    for (const when of broken) {
      assert.notDeepEqual(whenFailures({ command: 'intuneMao.send', when }, 'editor/context'), [], `"${when}" is reported`);
    }
    assert.deepEqual(whenFailures({ command: 'intuneMao.send', when: 'resourceFilename =~ /\\.mao\\.json$/' }, 'editor/context'), []);
  });

  it('lists only applicable commands in the palette', () => {
    const palette = manifest().contributes.menus['commandPalette']!;
    for (const command of sendLike) {
      const entry = palette.find((item) => item.command === command);
      assert.ok(entry?.when, `${command} is shown in the palette only for *.mao.json`);
    }
    for (const command of ['intuneMao.newOperation', 'intuneMao.signIn', 'intuneMao.signOut', 'intuneMao.showOutput']) {
      const entry = palette.find((item) => item.command === command);
      assert.ok(!entry || !entry.when || entry.when === 'true', `${command} is always in the palette`);
    }
  });

  it('binds *.mao.json to the bundled schema, which exists', () => {
    const binding = manifest().contributes.jsonValidation;
    assert.deepEqual(binding, [{ fileMatch: '*.mao.json', url: './schemas/managedAppOperation.schema.json' }]);
    const schema = JSON.parse(fs.readFileSync(path.join(extensionRoot(), 'schemas', 'managedAppOperation.schema.json'), 'utf8')) as {
      defaultSnippets?: unknown[];
    };
    assert.ok(schema.defaultSnippets?.length, 'the schema carries the template (defaultSnippets)');
  });

  it('keeps the settings that decide where the token goes in user settings only', () => {
    const { properties } = manifest().contributes.configuration;
    for (const key of ['cloud', 'clientId', 'tenant', 'graphUrl', 'signIn']) {
      assert.equal(properties[`intuneMao.${key}`]?.scope, 'application', `intuneMao.${key} has scope application`);
    }
    for (const key of ['apiVersion', 'timeoutSeconds', 'maxRetries']) assert.ok(properties[`intuneMao.${key}`], `intuneMao.${key} exists`);
    const trust = manifest().capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    for (const key of ['cloud', 'clientId', 'tenant', 'graphUrl', 'signIn']) {
      assert.ok(trust.restrictedConfigurations?.includes(`intuneMao.${key}`), `intuneMao.${key} is a restricted configuration`);
    }
  });

  it('declares the sandbox authentication provider', () => {
    assert.deepEqual(
      manifest().contributes.authentication.map((a) => a.id),
      ['intune-mao-emulator'],
    );
  });

  it('keeps activation light: the bundle loads the validator, the commands, the core and MSAL only on first use', () => {
    const bundle = fs.readFileSync(path.join(extensionRoot(), manifest().main), 'utf8');
    assert.match(bundle, /require\(["']\.\/validation["']\)/, 'the validator is a separate bundle');
    assert.match(bundle, /require\(["']\.\/features["']\)/, 'the commands are a separate bundle');
    assert.doesNotMatch(bundle, /require\(["']\.\/core["']\)/, 'the activation bundle never loads the core itself');
    for (const heavy of ['node-fetch', 'ajv', '@azure/msal-node', 'jsonc-parser']) {
      assert.ok(!bundle.includes(`node_modules/${heavy}/`), `${heavy} is not in dist/extension.js`);
    }
    for (const name of ['core.js', 'validation.js', 'features.js', 'msal-node.js']) {
      assert.ok(fs.existsSync(path.join(extensionRoot(), 'dist', name)), `dist/${name} exists`);
    }
  });
});
