// @ts-check
// The sandbox shared by `npm start` (scripts/start.mjs) and the UI smoke test (scripts/ui-smoke.mjs):
// the extension packaged as a VSIX and installed into a code-server host the way a person installs one,
// the local Graph emulator in this process, and the user settings that join them.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { REPO_ROOT, QUIET_USER_SETTINGS, ensureHost, node24Env } from './vscode-host.mjs';

/**
 * @typedef {import('../src/emulator/index.js').Emulator} Emulator
 * @typedef {typeof import('../src/emulator/index.js')} EmulatorModule
 */

const require = createRequire(import.meta.url);
export const EXTENSION_ID = (() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  return `${pkg.publisher}.${pkg.name}`;
})();
export const SAMPLES_DIR = path.join(REPO_ROOT, 'samples');

/** Throws a readable error when the extension bundle is missing. */
export function requireBuild() {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const main = path.resolve(REPO_ROOT, pkg.main ?? 'dist/extension.js');
  if (!fs.existsSync(main) && !fs.existsSync(`${main}.js`)) {
    throw new Error(`${path.relative(REPO_ROOT, main)} is missing: build the extension first (npm run build)`);
  }
}

/**
 * Packages the built extension into `<dir>/intune-mao.vsix` with vsce, offline: no dependencies (esbuild
 * bundles them); vsce turns the README's relative links and images into absolute URLs on the `repository`
 * in package.json, so they work on the Marketplace. vsce runs on a staging copy of the repository without node_modules,
 * .vscode-test (600 MB), .git, out/ and test-results/: walking those cost seconds, and .vscodeignore
 * excludes them anyway, so the VSIX is the same. Returns the path, how long it took and what vsce printed.
 * @param {string} dir
 */
export function packageVsix(dir) {
  const started = Date.now();
  const out = path.join(dir, 'intune-mao.vsix');
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  // A prepublish script needs the real tree (and its node_modules): package there.
  let cwd = REPO_ROOT;
  if (!pkg.scripts?.['vscode:prepublish']) {
    cwd = path.join(dir, 'vsix-stage');
    fs.mkdirSync(cwd, { recursive: true });
    const skip = new Set(['node_modules', '.vscode-test', '.git', 'out', 'test-results']);
    for (const entry of fs.readdirSync(REPO_ROOT)) {
      if (skip.has(entry) || entry.endsWith('.vsix')) continue;
      fs.cpSync(path.join(REPO_ROOT, entry), path.join(cwd, entry), { recursive: true });
    }
  }
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const res = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (cwd !== REPO_ROOT) fs.rmSync(cwd, { recursive: true, force: true });
  if (res.status !== 0 || !fs.existsSync(out)) {
    throw new Error(
      `vsce package failed (${res.error?.message ?? `exit ${res.status}`}):\n${`${res.stdout}${res.stderr}`.trim().split('\n').slice(-20).join('\n')}`,
    );
  }
  return { vsix: out, ms: Date.now() - started, output: `${res.stdout}${res.stderr}` };
}

/**
 * Installs a VSIX into a started host's extensions dir with code-server's own CLI
 * (`code-server --install-extension`), as a person would. The workbench opened afterwards picks it up.
 * @param {import('./vscode-host.mjs').Host} host
 * @param {string} vsix
 */
export function installVsix(host, vsix, extensionId = EXTENSION_ID) {
  const started = Date.now();
  const { nodeBin, codeServerEntry } = ensureHost();
  // The host's own scratch dir (startHost's temp dir): its config file and XDG dirs, so this CLI run
  // neither writes ~/.config/code-server/config.yaml nor logs into ~/.local/share/code-server.
  const scratch = path.dirname(host.userDataDir);
  const res = spawnSync(
    nodeBin,
    [
      codeServerEntry,
      '--config',
      path.join(scratch, 'config.yaml'),
      '--install-extension',
      vsix,
      '--force',
      '--extensions-dir',
      host.extensionsDir,
      '--user-data-dir',
      host.userDataDir,
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
      env: {
        ...node24Env(),
        XDG_DATA_HOME: path.join(scratch, 'xdg-data'),
        XDG_CONFIG_HOME: path.join(scratch, 'xdg-config'),
        XDG_CACHE_HOME: path.join(scratch, 'xdg-cache'),
        TMPDIR: path.join(scratch, 'tmp'),
      },
    },
  );
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
  const installed =
    fs.existsSync(host.extensionsDir) && fs.readdirSync(host.extensionsDir).some((d) => d.toLowerCase().startsWith(`${extensionId.toLowerCase()}-`));
  if (res.status !== 0 || !installed) {
    throw new Error(`code-server --install-extension failed (${res.error?.message ?? `exit ${res.status}`}):\n${output.split('\n').slice(-20).join('\n')}`);
  }
  return { ms: Date.now() - started, output };
}

/**
 * The emulator's module: the tsc output (out/, what `npm test` compiles) when it is at least as new as the
 * sources, else an esbuild bundle of src/emulator written into `scratchDir` (so `npm start` on a fresh clone
 * needs no tsc run).
 * @param {string} scratchDir
 * @returns {Promise<EmulatorModule>}
 */
export async function loadEmulatorModule(scratchDir) {
  const compiled = path.join(REPO_ROOT, 'out', 'src', 'emulator', 'index.js');
  const srcDir = path.join(REPO_ROOT, 'src', 'emulator');
  const newestSource = Math.max(
    ...fs
      .readdirSync(srcDir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => fs.statSync(path.join(srcDir, f)).mtimeMs),
  );
  if (fs.existsSync(compiled)) {
    const outDir = path.dirname(compiled);
    const oldestOutput = Math.min(
      ...fs
        .readdirSync(outDir)
        .filter((f) => f.endsWith('.js'))
        .map((f) => fs.statSync(path.join(outDir, f)).mtimeMs),
    );
    if (oldestOutput >= newestSource) return require(compiled);
  }
  const { build } = await import('esbuild');
  const outfile = path.join(scratchDir, 'emulator.cjs');
  await build({
    entryPoints: [path.join(srcDir, 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return require(outfile);
}

/**
 * Starts the emulator on `port`, or on a free port when that one is taken (preferPort: true) or 0.
 * @param {EmulatorModule} mod
 * @param {{ port?: number, preferPort?: boolean, pageSize?: number, log?: (line: string) => void }} [options]
 */
export async function startSandboxEmulator(mod, { port = 0, preferPort = false, pageSize = 5, log } = {}) {
  try {
    return await mod.startEmulator({ port, pageSize, ...(log ? { log } : {}) });
  } catch (error) {
    if (!(preferPort && port && /** @type {NodeJS.ErrnoException} */ (error)?.code === 'EADDRINUSE')) throw error;
    return await mod.startEmulator({ port: 0, pageSize, ...(log ? { log } : {}) });
  }
}

/**
 * True when something already listens on 127.0.0.1:port.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function portTaken(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(true));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(false)));
  });
}

/**
 * User settings for the sandbox: quiet, no chat side bar, and (given the emulator's URL) the emulator as
 * Graph root with its sign-in provider. Without a URL: the real Graph, as the other settings say.
 * @param {string | undefined} graphUrl
 * @param {Record<string, unknown>} [extra]
 */
export function sandboxUserSettings(graphUrl, extra = {}) {
  return {
    ...QUIET_USER_SETTINGS,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...(graphUrl ? { 'intuneMao.graphUrl': graphUrl, 'intuneMao.signIn': 'emulator' } : {}),
    ...extra,
  };
}

/**
 * Copies samples/ into `dir` (the UI test's workspace).
 * @param {string} dir
 */
export function copySamples(dir) {
  fs.cpSync(SAMPLES_DIR, dir, { recursive: true });
  return dir;
}
