// The bulk engine: every send, one or many, from the CLI and the extension.
export * from './jobTypes';
export * from './runOptions';
export * from './runJob';
export { checkUnknownOutcomes, type CheckedOutcome, type CheckOptions } from './checkOutcomes';
export * from './writeLimit';
export * from './engineClock';
export * from './describeResult';
export { JournalWriter, JournalError, readJournal } from './journal';
export { jobIdentity, bodyHash, type JobIdentity, type JournalRecord, type ResultRecord } from './journalRecords';
export { resumeStateOf, type ResumeState, type ResumedItem } from './resumeState';
export { WritePacer, type WriteTicket } from './writePacer';
export { batchEnvelope, readBatchAnswers, maxBatchRequests } from './batchEnvelope';
export { matchOperations, signatureOf, type Claimant, type ListedOperation, type Verdict } from './matchOperations';
export { ClockSkew, operationSample, dateSample, type Offset } from './clockSkew';
