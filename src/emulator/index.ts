export type {
  Emulator,
  EmulatorOptions,
  EmulatorStats,
  Fault,
  RandomFaults,
  RecordedBatchStep,
  RecordedRequest,
  SampleRegistration,
  TokenClaims,
  WindowLimit,
  WriteLimitOptions,
  WriteLimitSettings,
} from './types';
export { startEmulator } from './server';
export { sampleRegistrations } from './tenant';
export { sampleIds } from './sampleIds';
export { generateRegistrations, generatedApps, generatedUsers } from './generatedTenant';
