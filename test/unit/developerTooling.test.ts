// The files behind F5 and the watch task (.vscode/launch.json and tasks.json) name tasks, npm scripts, files
// and output formats that live elsewhere; these tests keep them pointing at things that exist.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';

const root = join(__dirname, '..', '..', '..');

interface Task {
  label: string;
  type?: string;
  script?: string;
  command?: string;
  args?: string[];
  dependsOn?: string[];
  problemMatcher?: string | { pattern?: { regexp: string; file?: number; line?: number; column?: number; message?: number; severity?: number }[] };
}
interface LaunchConfiguration {
  name: string;
  type: string;
  args: string[];
  preLaunchTask?: string;
}

function readJsonc<T>(file: string): T {
  const errors: ParseError[] = [];
  const value = parse(readFileSync(join(root, file), 'utf8'), errors, { allowTrailingComma: false }) as T;
  assert.deepEqual(errors, [], `${file} is valid JSON with comments`);
  return value;
}

const tasks = () => readJsonc<{ version: string; tasks: Task[] }>('.vscode/tasks.json').tasks;
const launch = () => readJsonc<{ version: string; configurations: LaunchConfiguration[] }>('.vscode/launch.json').configurations;
const packageScripts = () => (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const inWorkspace = (arg: string) => arg.replace('${workspaceFolder}', root);
const argValue = (config: LaunchConfiguration, flag: string) => config.args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);

describe('developer tooling (.vscode/launch.json, .vscode/tasks.json)', function () {
  this.timeout(20_000);

  it('every task a launch configuration or another task names exists', () => {
    const labels = new Set(tasks().map((t) => t.label));
    const named = [...launch().flatMap((c) => (c.preLaunchTask ? [c.preLaunchTask] : [])), ...tasks().flatMap((t) => t.dependsOn ?? [])];
    assert.ok(named.length > 0);
    for (const label of named) assert.ok(labels.has(label), `task "${label}" exists`);
  });

  it('every npm task runs a script of package.json, every node task a script file of the repository', () => {
    const scripts = packageScripts();
    for (const task of tasks()) {
      if (task.type === 'npm') assert.ok(task.script && scripts[task.script], `npm script "${task.script}" of task "${task.label}" exists`);
      if (task.type === 'process' && task.command === 'node') assert.ok(existsSync(join(root, task.args?.[0] ?? '')), `${task.args?.[0]} exists`);
    }
    assert.equal(scripts.watch, 'node scripts/watch.mjs');
  });

  it('"Run Extension" opens the extension under development on the samples', () => {
    const run = launch().find((c) => c.name === 'Run Extension');
    assert.ok(run);
    assert.equal(run.type, 'extensionHost');
    assert.equal(argValue(run, '--extensionDevelopmentPath'), '${workspaceFolder}');
    assert.ok(run.args.includes('${workspaceFolder}/samples') && existsSync(join(root, 'samples')));
    assert.equal(run.preLaunchTask, 'watch');
  });

  it('"Extension Tests" runs the compiled main suite in a temporary profile on a copy of the fixture workspace', () => {
    const tests = launch().find((c) => c.name === 'Extension Tests');
    assert.ok(tests);
    assert.equal(argValue(tests, '--extensionDevelopmentPath'), '${workspaceFolder}');
    const index = `${inWorkspace(argValue(tests, '--extensionTestsPath') ?? '')}.js`;
    // The suite index both other runners use (scripts/lib/testSuites.mjs), compiled before these tests run.
    assert.equal(index, join(root, 'out', 'test', 'integration', 'index.js'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled index, found at run time
    assert.equal(typeof (require(index) as { run?: unknown }).run, 'function');
    assert.ok(tests.args.includes('--profile-temp'), "the tests change user settings: never in the developer's own profile");

    const workspace = inWorkspace(tests.args[tests.args.length - 1]);
    execFileSync(process.execPath, [join(root, 'scripts', 'prepare-test-workspace.mjs')], { cwd: root });
    assert.deepEqual(readdirSync(workspace).sort(), readdirSync(join(root, 'test', 'fixtures', 'workspace')).sort());
  });

  it("the watch task's problem matcher reads the problems scripts/build.mjs --watch prints", () => {
    const task = tasks().find((t) => t.label === 'watch: bundles');
    assert.ok(task && typeof task.problemMatcher === 'object' && task.problemMatcher.pattern);
    const [first, second] = task.problemMatcher.pattern;
    // What scripts/build.mjs prints for a syntax error in src/extension/commandIds.ts.
    const headline = new RegExp(first.regexp).exec('✘ [ERROR] Unexpected ";"');
    const where = new RegExp(second.regexp).exec('    src/extension/commandIds.ts:10:23:');
    assert.ok(headline && where);
    assert.deepEqual([headline[first.severity!], headline[first.message!]], ['ERROR', 'Unexpected ";"']);
    assert.deepEqual([where[second.file!], where[second.line!], where[second.column!]], ['src/extension/commandIds.ts', '10', '23']);
  });
});
