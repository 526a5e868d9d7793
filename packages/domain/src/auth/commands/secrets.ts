import type { CommandContext, SecretSource } from '../../kernel/index.ts';

/**
 * The context's secret source. A context built without one cannot create a
 * secret: that is a wiring fault of the process (answered 1500), never a
 * reason to fall back on something weaker.
 */
export function secretsOf(ctx: CommandContext): SecretSource {
  if (!ctx.secrets) throw new Error('this context has no secret source: auth commands cannot run here');
  return ctx.secrets;
}
