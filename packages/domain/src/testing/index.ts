// Test data the domain's specs share: ids by number, a fixed context, a reader
// over given histories. Event fixtures per slice: ./fixtures/<slice>.ts.
export * from './context.ts';
export * from './memory-reader.ts';
