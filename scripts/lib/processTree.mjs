// @ts-check
// Processes on Linux, read from /proc: the tree below a pid, whether one still runs, what it runs, and
// signalling a whole tree. Elsewhere (no /proc) the tree is empty and only the pid itself is signalled.
import * as fs from 'node:fs';

/** @returns {number[]} */
function allPids() {
  try {
    return fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * The fields of /proc/<pid>/stat after the command name (which may itself hold spaces and parentheses).
 * @param {number} pid
 * @returns {{ state: string, ppid: number } | undefined}
 */
function statOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/**
 * The processes whose parent is `pid`.
 * @param {number} pid
 */
export function childrenOf(pid) {
  return allPids().filter((p) => statOf(p)?.ppid === pid);
}

/**
 * Every descendant of `pid`, children before grandchildren.
 * @param {number} pid
 * @returns {number[]}
 */
export function descendantsOf(pid) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const p of allPids()) {
    const stat = statOf(p);
    if (!stat) continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(p);
    children.set(stat.ppid, siblings);
  }
  const found = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * True while the process runs. A zombie (exited, waiting for its parent to reap it) counts as gone.
 * @param {number} pid
 */
export function isRunning(pid) {
  const stat = statOf(pid);
  if (stat) return stat.state !== 'Z';
  if (fs.existsSync('/proc/self')) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** @param {number} pid */
export function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/**
 * Running processes other than this one whose command line contains `text` (for example a temp dir that
 * only the processes of one test run name).
 * @param {string} text
 */
export function processesNaming(text) {
  return allPids().filter((p) => p !== process.pid && isRunning(p) && commandLine(p).includes(text));
}

/** @param {number} pid */
export function describeProcess(pid) {
  return `${pid} ${commandLine(pid).slice(0, 120)}`;
}

/**
 * Sends `signal` to the process group led by `pid` and to every descendant (one that left the group with
 * setsid, too). Returns the pids signalled.
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
export function signalTree(pid, signal) {
  const pids = [pid, ...descendantsOf(pid)];
  try {
    process.kill(-pid, signal);
  } catch {}
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {}
  }
  return pids;
}
