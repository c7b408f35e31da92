import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { TokenCacheStore } from '../core/msalSignIn';

/** $XDG_CONFIG_HOME/intune-mao/msal-cache.json, ~/.config when XDG_CONFIG_HOME is not set. */
export function tokenCachePath(env: NodeJS.ProcessEnv): string {
  const configured = env['XDG_CONFIG_HOME'];
  const configHome = configured && isAbsolute(configured) ? configured : join(homedir(), '.config');
  return join(configHome, 'intune-mao', 'msal-cache.json');
}

export interface CacheLockTiming {
  /** How often a process waiting for the lock looks again. */
  readonly retryMs: number;
  /** A lock older than this is abandoned: MSAL holds it only from its read of the cache to its write. */
  readonly staleMs: number;
  /** How long to wait for a lock that is neither released nor stale before giving up. */
  readonly waitMs: number;
}

const defaultTiming: CacheLockTiming = { retryMs: 20, staleMs: 10_000, waitMs: 30_000 };

/** Who holds the lock, as written in the lock file (no secret in it). */
interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
}

/**
 * MSAL's token cache as a file only its owner can read (directory 0700, file 0600). A write goes to a new
 * file next to it that is then renamed over it, so a reader never sees half a cache. `lock()` keeps other
 * processes out from MSAL's read of the cache to its write, so two sign-ins at once both stay in it.
 */
export class TokenCacheFile implements TokenCacheStore {
  readonly lockPath: string;

  constructor(
    readonly path: string,
    private readonly timing: CacheLockTiming = defaultTiming,
  ) {
    this.lockPath = `${path}.lock`;
  }

  async read(): Promise<string | undefined> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(data: string): Promise<void> {
    const dir = await this.ownDirectory();
    const temporary = join(dir, `.msal-cache.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    // 'wx' refuses to follow or reuse anything already at that name.
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(data, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, this.path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  /** Deletes the cache; false when there was none. */
  async remove(): Promise<boolean> {
    try {
      await unlink(this.path);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return false;
      throw error;
    }
  }

  /**
   * Takes the cross-process lock (a file created exclusively next to the cache), waiting while another
   * process holds it. A lock whose holder is gone (its process no longer runs on this host) or that is older
   * than `staleMs` is taken over. Resolves with the release.
   */
  async lock(): Promise<() => Promise<void>> {
    await this.ownDirectory();
    const mine = JSON.stringify({ pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex') } satisfies LockHolder);
    const deadline = Date.now() + this.timing.waitMs;
    for (;;) {
      try {
        const file = await open(this.lockPath, 'wx', 0o600);
        try {
          await file.writeFile(mine, 'utf8');
        } finally {
          await file.close();
        }
        return () => this.unlockIfMine(mine);
      } catch (error) {
        if ((error as { code?: string }).code !== 'EEXIST') throw error;
      }
      if (await this.takeOverIfStale()) continue;
      if (Date.now() > deadline) {
        throw new Error(
          `The token cache stayed locked by another process for ${Math.round(this.timing.waitMs / 100) / 10} s. If no other intune-mao is running, delete ${this.lockPath}.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.timing.retryMs));
    }
  }

  private async unlockIfMine(mine: string): Promise<void> {
    if ((await readFile(this.lockPath, 'utf8').catch(() => undefined)) === mine) await unlink(this.lockPath).catch(() => undefined);
  }

  /** True when the lock was stale and is now gone (or was already gone): try again at once. */
  private async takeOverIfStale(): Promise<boolean> {
    let text: string;
    let modifiedMs: number;
    try {
      text = await readFile(this.lockPath, 'utf8');
      modifiedMs = (await stat(this.lockPath)).mtimeMs;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return true;
      throw error;
    }
    const holder = parseHolder(text);
    const abandoned = holder !== undefined && holder.host === hostname() && !isRunning(holder.pid);
    if (!abandoned && Date.now() - modifiedMs <= this.timing.staleMs) return false;
    // Move it aside in one step, then make sure it is the lock judged stale: another process may have
    // taken over and locked afresh in between, and its lock goes back.
    const aside = `${this.lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
    try {
      await rename(this.lockPath, aside);
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return true;
      throw error;
    }
    const moved = await readFile(aside, 'utf8').catch(() => undefined);
    if (moved !== text) await link(aside, this.lockPath).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return moved === text;
  }

  private async ownDirectory(): Promise<string> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    return dir;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.nonce === 'string' ? (value as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
