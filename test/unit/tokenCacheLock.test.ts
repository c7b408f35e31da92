import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TokenCacheFile } from '../../src/cli/tokenCacheFile';
import { clouds } from '../../src/core/clouds';
import { DeviceCodeSignIn, type TokenCacheStore } from '../../src/core/msalSignIn';
import { startEmulator, type Emulator } from '../../src/emulator';
import { startIdentityEmulator, type IdentityEmulator } from '../support/identityEmulator';

const clientId = '4a1f3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Another process holding the cache lock until it is told to let go. */
async function lockInAnotherProcess(cachePath: string): Promise<{ child: ChildProcessWithoutNullStreams; release: () => Promise<string> }> {
  const script = `
    const { TokenCacheFile } = require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'cli', 'tokenCacheFile.js'))});
    const fs = require('node:fs');
    const file = new TokenCacheFile(${JSON.stringify(cachePath)});
    file.lock().then((release) => {
      const mine = fs.readFileSync(file.lockPath, 'utf8');
      process.stdout.write('locked\\n');
      process.stdin.once('data', async () => {
        const intact = fs.readFileSync(file.lockPath, 'utf8') === mine;
        await release();
        process.stdout.write(intact ? 'released intact\\n' : 'released, but the lock had been taken\\n');
      });
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const said = (what: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (output.includes(what)) resolve(output);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        check();
      });
      child.on('exit', () => (output.includes(what) ? resolve(output) : reject(new Error(`the other process ended: ${output}`))));
      check();
    });
  await said('locked');
  return {
    child,
    release: async () => {
      child.stdin.end('go');
      await said('released');
      return output;
    },
  };
}

describe('The token cache file lock (two processes signing in at once)', function () {
  this.timeout(20_000);
  let home: string;
  let cachePath: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'mao-cache-lock-'));
    cachePath = join(home, 'intune-mao', 'msal-cache.json');
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const quick = { retryMs: 10, staleMs: 10_000, waitMs: 300 };

  it('waits for another process that holds the lock, and gets it once that process lets go', async () => {
    const other = await lockInAnotherProcess(cachePath);
    try {
      await assert.rejects(
        new TokenCacheFile(cachePath, quick).lock(),
        /stayed locked by another process for 0\.3 s\. If no other intune-mao is running, delete .*msal-cache\.json\.lock/,
      );
      const waiting = new TokenCacheFile(cachePath, { ...quick, waitMs: 10_000 }).lock();
      const said = await other.release();
      assert.match(said, /released intact/, 'nobody took the lock while it was held');
      const release = await waiting;
      assert.equal(JSON.parse(readFileSync(`${cachePath}.lock`, 'utf8')).pid, process.pid);
      await release();
      assert.deepEqual(readdirSync(dirname(cachePath)), [], 'the lock is gone once released');
    } finally {
      other.child.kill();
    }
  });

  it('takes over a lock whose process is gone, or that is older than any cache write takes', async () => {
    mkdirSync(dirname(cachePath), { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const lockPath = `${cachePath}.lock`;
    writeFileSync(lockPath, JSON.stringify({ pid: gone, host: hostname(), nonce: 'abandoned' }));
    const release = await new TokenCacheFile(cachePath, quick).lock();
    assert.equal(JSON.parse(readFileSync(lockPath, 'utf8')).pid, process.pid);
    await release();

    // A live process on another host cannot be checked: its lock is respected until it is old.
    writeFileSync(lockPath, JSON.stringify({ pid: 1, host: 'another-host.example', nonce: 'elsewhere' }));
    await assert.rejects(new TokenCacheFile(cachePath, quick).lock(), /stayed locked/);
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lockPath, minuteAgo, minuteAgo);
    await (
      await new TokenCacheFile(cachePath, quick).lock()
    )();
    assert.equal(existsSync(lockPath), false);
  });

  describe('through MSAL', () => {
    let graph: Emulator;
    let first: IdentityEmulator;
    let second: IdentityEmulator;

    before(async () => {
      graph = await startEmulator();
      const options = { mintAccessToken: (claims: Record<string, unknown>) => graph.mintToken(claims), intervalSeconds: 0.05 };
      [first, second] = await Promise.all([startIdentityEmulator(options), startIdentityEmulator(options)]);
    });
    after(async () => {
      await Promise.all([first.close(), second.close()]);
      await graph.close();
    });

    const signIn = (idp: IdentityEmulator, cache: TokenCacheStore, user: { upn: string; oid: string }): DeviceCodeSignIn =>
      new DeviceCodeSignIn({
        cloud: clouds.global,
        clientId,
        cache,
        loginUrl: idp.url,
        trustedCertificate: idp.certificate,
        onDeviceCode: (prompt) => idp.approve(prompt.userCode, { user }),
      });

    it("keeps both accounts when one sign-in's write falls between another's read and write", async () => {
      // The first sign-in's write is held until the second has begun its own cache access: without the lock the
      // second reads the cache before the first wrote it, and its write then drops the first account.
      const firstAtWrite = deferred();
      const secondBegan = deferred();
      let firstWaiting = false;
      const firstFile = new TokenCacheFile(cachePath);
      const secondFile = new TokenCacheFile(cachePath);
      const firstStore: TokenCacheStore = {
        read: () => firstFile.read(),
        lock: () => firstFile.lock(),
        write: async (data) => {
          if (!firstWaiting) {
            firstWaiting = true;
            firstAtWrite.resolve();
            await secondBegan.promise;
          }
          await firstFile.write(data);
        },
      };
      const secondStore: TokenCacheStore = {
        lock: () => {
          if (firstWaiting) secondBegan.resolve();
          return secondFile.lock();
        },
        read: async () => {
          const data = await secondFile.read();
          if (firstWaiting) secondBegan.resolve();
          return data;
        },
        write: (data) => secondFile.write(data),
      };
      const signedInFirst = signIn(first, firstStore, { upn: 'first@contoso.example', oid: '11111111-1111-4111-8111-111111111111' }).signIn();
      await firstAtWrite.promise;
      const signedInSecond = signIn(second, secondStore, { upn: 'second@contoso.example', oid: '22222222-2222-4222-8222-222222222222' }).signIn();
      await Promise.all([signedInFirst, signedInSecond]);

      const accounts = Object.values(JSON.parse(readFileSync(cachePath, 'utf8')).Account as Record<string, { username: string; environment: string }>);
      assert.deepEqual(accounts.map((a) => [a.username, a.environment]).sort(), [
        ['first@contoso.example', new URL(first.url).host],
        ['second@contoso.example', new URL(second.url).host],
      ]);
      assert.deepEqual(readdirSync(dirname(cachePath)), ['msal-cache.json'], 'no lock left behind');
    });
  });
});
