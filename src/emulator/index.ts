export type { Emulator, EmulatorOptions, Fault, RecordedRequest, SampleRegistration, TokenClaims } from './types';
export { startEmulator } from './server';
export { sampleRegistrations } from './tenant';
