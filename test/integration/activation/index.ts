// Entry point of the activation suite: a window with no folder open, where nothing should start the extension.
import { runMochaIn } from '../runMocha';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
