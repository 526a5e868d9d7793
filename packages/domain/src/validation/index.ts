export { dateTimeFormats, type ParsedDateTime, parseDateTime } from './datetime.ts';
export type { ParamIssue } from './params.ts';
export * as param from './params.ts';
export { toRejection } from './to-rejection.ts';
