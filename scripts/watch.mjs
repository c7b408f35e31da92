// @ts-check
// `npm run watch`: every `watch:*` script of package.json side by side in one terminal until Ctrl+C: the
// bundles rebuilt on each change (esbuild) and the types checked on each change (tsc, for the product with
// its tests, and for the scripts). In VS Code the same scripts run as separate tasks (.vscode/tasks.json),
// so that each feeds its own problem matcher.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { signalTree } from './lib/processTree.mjs';
import { REPO_ROOT } from './lib/repoRoot.mjs';

const { scripts } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const names = Object.keys(scripts).filter((name) => name.startsWith('watch:'));
// Under `npm run` npm says where it is; run directly, npm is found on PATH.
const npmCli = process.env.npm_execpath;
// Each in a process group of its own, so that stopping one stops what npm started under it (npm passes a
// signal on to its shell, and the shell not to the watcher).
const ownGroup = process.platform !== 'win32';
const watchers = names.map((name) =>
  npmCli
    ? spawn(process.execPath, [npmCli, 'run', '--silent', name], { cwd: REPO_ROOT, stdio: 'inherit', detached: ownGroup })
    : spawn('npm', ['run', '--silent', name], { cwd: REPO_ROOT, stdio: 'inherit', detached: ownGroup, shell: !ownGroup }),
);
/**
 * @param {import('node:child_process').ChildProcess} watcher
 * @param {NodeJS.Signals} signal
 */
const stop = (watcher, signal) => {
  if (ownGroup && watcher.pid) signalTree(watcher.pid, signal);
  else watcher.kill(signal);
};
console.log(`[watch] ${names.join(', ')}; Ctrl+C stops them`);

// Ctrl+C, a kill or a closed terminal stop them all.
for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    for (const watcher of watchers) stop(watcher, 'SIGTERM');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
watchers.forEach((watcher, i) => {
  watcher.on('exit', (code, signal) => {
    if (signal) return;
    console.error(`[watch] ${names[i]} stopped (exit ${code}); stopping the others`);
    for (const other of watchers) if (other !== watcher) stop(other, 'SIGTERM');
    process.exit(code || 1);
  });
});
