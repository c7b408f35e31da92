// @ts-check
// `npm start`: the product in one command. Builds the extension, starts the local Graph emulator and a VS Code
// in the browser (code-server) with the extension installed from its VSIX, user settings pointing at the
// emulator with the sandbox sign-in, and the sample workspace. Prints the URL to open; Ctrl+C stops everything.
//
//   npm start [-- options]
//     --port <n>            VS Code (code-server) port, default 8080 (a free one if 8080 is taken)
//     --emulator-port <n>   Graph emulator port, default 5080 (a free one if 5080 is taken)
//     --in-place            open samples/ itself (edits and saves change the repository) instead of a temp copy
//     --folder <dir>        open this folder instead of the samples (e.g. your own *.mao.json files)
//     --no-build            skip `node scripts/build.mjs` (use dist/ as it is)
//     --quiet               do not echo each emulator request
//     --tenant              no emulator: the extension talks to the real Microsoft Graph, signing in with
//                           VS Code's Microsoft account provider; with --client-id <guid>, --tenant-id <id|domain>,
//                           --cloud <global|usgov|usgovdod|china> written to the host's user settings
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HOST_DIR, REPO_ROOT, startHost, workbenchUrl } from './vscode-host.mjs';
import { isRunning } from './lib/processTree.mjs';
import {
  SAMPLES_DIR,
  copySamples,
  installVsix,
  loadEmulatorModule,
  packageVsix,
  portTaken,
  requireBuild,
  sandboxUserSettings,
  startSandboxEmulator,
} from './sandbox.mjs';

const USAGE = `usage: npm start [-- --port <n>] [--emulator-port <n>] [--in-place | --folder <dir>] [--no-build] [--quiet]
       npm start -- --tenant [--client-id <guid>] [--tenant-id <id or domain>] [--cloud <name>] [--port <n>]`;

/** @param {string[]} argv */
function parseArgs(argv) {
  const o = {
    port: 8080,
    portGiven: false,
    emulatorPort: 5080,
    emulatorPortGiven: false,
    inPlace: false,
    build: true,
    quiet: false,
    tenant: false,
    /** @type {string | undefined} */ folder: undefined,
    /** @type {string | undefined} */ clientId: undefined,
    /** @type {string | undefined} */ tenantId: undefined,
    /** @type {string | undefined} */ cloud: undefined,
  };
  /**
   * @param {string} msg
   * @returns {never}
   */
  const fail = (msg) => {
    console.error(`error: ${msg}\n${USAGE}`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : fail(`${flag} needs a value`));
    const port = () => {
      const v = value();
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1 || n > 65535) fail(`${flag}: ${v} is not a port number`);
      return n;
    };
    switch (flag) {
      case '--port':
        o.port = port();
        o.portGiven = true;
        break;
      case '--emulator-port':
        o.emulatorPort = port();
        o.emulatorPortGiven = true;
        break;
      case '--in-place':
        o.inPlace = true;
        break;
      case '--folder':
        o.folder = path.resolve(value());
        break;
      case '--no-build':
        o.build = false;
        break;
      case '--quiet':
        o.quiet = true;
        break;
      case '--tenant':
        o.tenant = true;
        break;
      case '--client-id':
        o.clientId = value();
        break;
      case '--tenant-id':
        o.tenantId = value();
        break;
      case '--cloud':
        o.cloud = value();
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${argv[i]}`);
    }
  }
  if (o.inPlace && o.folder) fail('--in-place and --folder do not go together');
  if (o.folder && !fs.statSync(o.folder, { throwIfNoEntry: false })?.isDirectory()) fail(`--folder ${o.folder} is not a folder`);
  if (!o.tenant && (o.clientId || o.tenantId || o.cloud)) fail('--client-id, --tenant-id and --cloud go with --tenant');
  if (o.cloud && !['global', 'usgov', 'usgovdod', 'china'].includes(o.cloud)) fail(`--cloud ${o.cloud}: one of global, usgov, usgovdod, china`);
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const started = Date.now();
const secs = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
/** @param {string} msg */
const say = (msg) => console.log(`[start] ${msg}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intune-mao-start-'));
/** @type {import('./sandbox.mjs').Emulator | undefined} */
let emulator;
/** @type {import('./vscode-host.mjs').Host | undefined} */
let host;
let stopping = false;

// Stopping: the vscode-host helpers kill the host's whole process group on SIGINT/SIGTERM/SIGHUP and exit;
// the emulator lives in this process; the temp copy goes with the 'exit' handler.
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 }));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[start] ${sig}: stopping VS Code and the emulator…`);
    emulator?.close();
    if (!host) process.exit(sig === 'SIGINT' ? 130 : 143); // before the host exists, nothing else will exit
  });
}

async function main() {
  let port = opts.port;
  if (await portTaken(port)) {
    if (opts.portGiven) throw new Error(`port ${port} is taken: choose another with --port`);
    port = 0; // a free one, said below
  }

  // 1. Build
  if (opts.build) {
    say('building the extension (node scripts/build.mjs)…');
    const res = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (res.status !== 0) throw new Error(`the build failed (exit ${res.status ?? res.signal})`);
  }
  requireBuild();

  // 2. VS Code host (installed on first use)
  if (!fs.existsSync(path.join(HOST_DIR, 'installed.json'))) {
    say('first run: installing VS Code (code-server on Node 24) into .vscode-test/ — about 3–4 minutes and 600 MB, once; later runs reuse it.');
  }

  // 3. Emulator (not with --tenant)
  let graphUrl;
  if (!opts.tenant) {
    const mod = await loadEmulatorModule(tmp);
    const log = opts.quiet ? undefined : (/** @type {string} */ line) => console.log(`[emulator] ${line}`);
    emulator = await startSandboxEmulator(mod, { port: opts.emulatorPort, preferPort: !opts.emulatorPortGiven, log });
    graphUrl = emulator.url;
    if (!emulator.url.endsWith(`:${opts.emulatorPort}`)) say(`port ${opts.emulatorPort} is taken: the emulator uses ${emulator.url} instead`);
  }

  // 4. Workspace
  let workspaceDir;
  if (opts.folder) workspaceDir = opts.folder;
  else if (opts.inPlace) workspaceDir = SAMPLES_DIR;
  else workspaceDir = copySamples(path.join(tmp, 'samples'));

  // 5. Package the extension, start VS Code, install it
  const { vsix, ms: packMs } = packageVsix(tmp);
  say(`packaged the extension: ${path.basename(vsix)} (${(packMs / 1000).toFixed(1)} s)`);
  const tenantSettings = {
    ...(opts.cloud ? { 'intuneMao.cloud': opts.cloud } : {}),
    ...(opts.clientId ? { 'intuneMao.clientId': opts.clientId } : {}),
    ...(opts.tenantId ? { 'intuneMao.tenant': opts.tenantId } : {}),
  };
  host = await startHost({
    workspaceDir,
    port: port || undefined,
    userSettings: sandboxUserSettings(graphUrl, tenantSettings),
    testDriver: false,
  });
  if (port === 0) say(`port ${opts.port} is taken: VS Code uses ${host.url} instead`);
  const { ms: installMs } = installVsix(host, vsix);
  say(`VS Code ${host.url} is up, extension installed with code-server --install-extension (${(installMs / 1000).toFixed(1)} s)`);

  // 6. Tell the person
  const url = workbenchUrl(host, workspaceDir);
  const cli = process.platform === 'win32' ? 'node bin\\intune-mao.js' : 'node bin/intune-mao.js';
  const lines = ['', `Ready in ${secs()}. Open this in your browser:`, '', `    ${url}`, ''];
  if (emulator) {
    lines.push(
      `Microsoft Graph emulator: ${emulator.url}  (sample tenant: 12 app registrations; a test double, not Microsoft)`,
      'Sign-in: the sandbox provider "Intune Emulator" — click Allow when VS Code asks; its tokens work with this emulator only.',
      `Workspace: ${opts.folder ? workspaceDir : opts.inPlace ? `${path.relative(process.cwd(), SAMPLES_DIR) || '.'} (in place: saved edits change the repository)` : `a temp copy of samples/ (${workspaceDir}; edits vanish on exit, use --in-place to keep them)`}`,
      '',
      'Try: right-click wipe-megan-outlook.mao.json > Send to Intune, then read the 201 and request-id in the "Intune" output.',
      '     choose-a-target.mao.json opens the registration picker; broken.mao.json shows the validation; samples/README.md has more.',
      '',
      'The CLI against the same emulator (token valid for one hour):',
      `    export INTUNE_MAO_ACCESS_TOKEN='${emulator.mintToken()}'`,
      `    ${cli} registrations --graph-url ${emulator.url}`,
      `    ${cli} send ${path.relative(process.cwd(), path.join(SAMPLES_DIR, 'wipe-megan-outlook.mao.json'))} --graph-url ${emulator.url}`,
    );
  } else {
    lines.push(
      "Real tenant mode: no emulator; the extension calls Microsoft Graph and signs in through VS Code's Microsoft",
      `account provider (${
        Object.keys(tenantSettings).length
          ? Object.entries(tenantSettings)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')
          : 'default cloud and client id; set yours with --client-id, --tenant-id, --cloud'
      }).`,
      'In this browser-based VS Code that sign-in may not complete (it opens login.microsoftonline.com and must be',
      "redirected back). With --client-id, the extension falls back to a device-code sign-in when VS Code's Microsoft",
      'sign-in is unavailable; otherwise use the desktop VS Code, or the CLI (intune-mao login / INTUNE_MAO_ACCESS_TOKEN).',
    );
  }
  lines.push(
    '',
    `VS Code listens on 127.0.0.1 only, without a password. From another machine: ssh -L ${host.port}:127.0.0.1:${host.port} <this host>.`,
    'Press Ctrl+C to stop everything.',
    '',
  );
  console.log(lines.join('\n'));

  // 7. Stay up; notice if the server dies on its own.
  const server = host;
  const watch = setInterval(() => {
    if (!isRunning(server.pid)) {
      clearInterval(watch);
      console.error(`[start] the VS Code server stopped unexpectedly:\n${server.output().trim().split('\n').slice(-20).join('\n')}`);
      emulator?.close();
      process.exit(1);
    }
  }, 2000);
}

main().catch(async (err) => {
  console.error(`[start] error: ${err instanceof Error ? err.message : err}`);
  await host?.stop().catch(() => {});
  await emulator?.close().catch(() => {});
  process.exit(1);
});
