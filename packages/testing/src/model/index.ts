// The model-based test's vocabulary: the reference model (written from the
// contract, importing nothing from the domain), the steps drawn against it
// and the worker-like runner over the real command path.
export * from './foundation.ts';
export * from './mini-worker.ts';
export * from './reference.ts';
export * from './social.ts';
export * from './steps.ts';
