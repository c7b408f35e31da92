// Entry point of the Restricted Mode suite: the fixture workspace is opened untrusted.
import { runMochaIn } from '../runMocha';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
