import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { TokenCacheStore } from '../core/msalSignIn';

/** $XDG_CONFIG_HOME/intune-mao/msal-cache.json, ~/.config when XDG_CONFIG_HOME is not set. */
export function tokenCachePath(env: NodeJS.ProcessEnv): string {
  const configured = env['XDG_CONFIG_HOME'];
  const configHome = configured && isAbsolute(configured) ? configured : join(homedir(), '.config');
  return join(configHome, 'intune-mao', 'msal-cache.json');
}

/**
 * MSAL's token cache as a file only its owner can read (directory 0700, file 0600). A write goes to a new
 * file next to it that is then renamed over it, so a reader never sees half a cache.
 */
export class TokenCacheFile implements TokenCacheStore {
  constructor(readonly path: string) {}

  async read(): Promise<string | undefined> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(data: string): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
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
}
