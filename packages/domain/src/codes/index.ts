export { type FailureCode, type FailureName, failures } from './failures.ts';
export { type SuccessCode, type SuccessName, successes } from './successes.ts';
