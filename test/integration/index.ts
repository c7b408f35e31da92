// Entry point of the main integration suite (trusted workspace): every test/integration/*.test.ts.
import { runMochaIn } from './runMocha';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
