import { authorizationHeader } from '@camledger/api-edge';
import { createClient } from '@camledger/client';
import type { WorkerConfig } from '@camledger/command-worker';
import { edgeCredentialsReply, edgeCredentialsSubject, openSecret, secretsKey } from '@camledger/domain';
import type { Command } from 'commander';
import type { NatsConnection } from 'nats';
import { openNats, shownServers } from './connection.ts';
import { type ExitCode, exitCodes, type Output, UsageError } from './output.ts';
import { sendExplained } from './send.ts';

// `camledger edge …`: consumers and tokens through the internal auth.*
// commands (DOMAIN.md §6), and `sign`, which prints the Authorization header
// a curl line needs. The worker answers the issuer its secrets in clear (they
// rest sealed); a sealed one (a worker from before that) is opened here with
// CAMLEDGER_SECRETS_KEY.

interface Json {
  readonly json?: boolean;
}

type Reply = { ok: boolean; code: number; result?: Record<string, string>; error?: string; message?: string };

/** Where the edge subcommands send, and how long each waits: the global --server, --prefix and --timeout. */
export interface EdgeTarget {
  readonly config: WorkerConfig;
  readonly timeoutMs: number;
}

/** One internal auth.* command, as `send` sends it: no answer is explained the same way. */
async function internal(
  nc: NatsConnection,
  target: EdgeTarget,
  action: string,
  payload: object,
): Promise<Reply> {
  const { config, timeoutMs } = target;
  const client = createClient(nc, { prefix: config.prefix, timeoutMs });
  const outcome = await sendExplained(
    client,
    action,
    payload,
    { actor: 'system' },
    {
      prefix: config.prefix,
      servers: shownServers(config),
      timeoutMs,
    },
  );
  return outcome as Reply;
}

function print(output: Output, o: Json, reply: Reply, fields: Record<string, string | undefined>): ExitCode {
  if (!reply.ok) {
    output.out(o.json ? JSON.stringify(reply) : `rejected ${reply.code} ${reply.error}: ${reply.message}`);
    return exitCodes.failed;
  }
  if (o.json) output.out(JSON.stringify({ code: reply.code, ...fields }));
  else for (const [k, v] of Object.entries(fields)) output.out(`${k}: ${v ?? ''}`);
  return exitCodes.ok;
}

/** Polls the credentials query the edge uses until it sees the token (or `waitMs` passed). */
async function edgeSees(
  nc: NatsConnection,
  prefix: string,
  consumerKey: string,
  token: string,
  waitMs: number,
) {
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    try {
      const msg = await nc.request(
        edgeCredentialsSubject(prefix),
        JSON.stringify({ consumer_key: consumerKey, token }),
        {
          timeout: 1000,
        },
      );
      const reply = edgeCredentialsReply.safeParse(msg.json());
      if (reply.success && reply.data.result.token?.active) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export function registerEdgeCommands(
  cli: Command,
  targetOf: () => EdgeTarget,
  output: Output,
  done: (code: ExitCode) => void,
): void {
  const edge = cli.command('edge').description('consumers and tokens of the HTTP edge, and signing for curl');
  /**
   * The secret the issuer must keep, opened when it came sealed. One that does
   * not open with this CAMLEDGER_SECRETS_KEY is null: the command then exits 1,
   * since a key printed without its secret is of no use to the caller.
   */
  const open = (sealed: string | undefined): string | undefined | null => {
    // A seal is `v1.<base64url>`; a clear secret is base64url alone, never with a dot.
    if (sealed === undefined || !sealed.startsWith('v1.')) return sealed;
    const clear = openSecret(secretsKey(process.env.CAMLEDGER_SECRETS_KEY), sealed);
    if (clear !== undefined) return clear;
    output.err(
      'camledger: the secret does not open with this CAMLEDGER_SECRETS_KEY (the worker uses another key)',
    );
    return null;
  };
  /**
   * Prints the reply with `secretField` of its result opened; a secret that
   * does not open fails the command.
   */
  const printWithSecret = (
    o: Json,
    reply: Reply,
    fields: Record<string, string | undefined>,
    secretField: 'consumer_secret' | 'token_secret',
  ): ExitCode => {
    const secret = open(reply.result?.[secretField]);
    const code = print(output, o, reply, { ...fields, [secretField]: secret ?? undefined });
    return secret === null ? exitCodes.failed : code;
  };
  const withNats = async (run: (nc: NatsConnection, target: EdgeTarget) => Promise<ExitCode>) => {
    const target = targetOf();
    const nc = await openNats(target.config);
    try {
      done(await run(nc, target));
    } finally {
      await nc.drain();
    }
  };

  const consumer = edge.command('consumer').description('client applications');
  consumer
    .command('add')
    .requiredOption('--name <name>', '1..64 characters')
    .option('--json')
    .action((o: Json & { name: string }) =>
      withNats(async (nc, target) => {
        const reply = await internal(nc, target, 'auth.add_consumer', { name: o.name });
        return printWithSecret(o, reply, { consumer_key: reply.result?.consumer_key }, 'consumer_secret');
      }),
    );
  consumer
    .command('remove')
    .argument('<consumer_key>')
    .option('--json')
    .action((consumerKey: string, o: Json) =>
      withNats(async (nc, target) =>
        print(output, o, await internal(nc, target, 'auth.remove_consumer', { consumer_key: consumerKey }), {
          consumer_key: consumerKey,
        }),
      ),
    );

  const token = edge.command('token').description("a user's authorisation of one consumer");
  token
    .command('issue')
    .requiredOption('--consumer <consumer_key>')
    .requiredOption('--user <user_id>')
    .option('--wait-ms <ms>', 'how long to wait for the edge to see the token', '10000')
    .option('--json')
    .action((o: Json & { consumer: string; user: string; waitMs: string }) => {
      if (!/^\d{1,9}$/.test(o.waitMs))
        throw new UsageError(`--wait-ms "${o.waitMs}" is not a whole number of milliseconds`);
      return withNats(async (nc, target) => {
        const reply = await internal(nc, target, 'auth.issue_token', {
          consumer_key: o.consumer,
          user_id: o.user,
        });
        if (
          reply.ok &&
          !(await edgeSees(nc, target.config.prefix, o.consumer, reply.result?.token ?? '', Number(o.waitMs)))
        ) {
          output.err(
            'camledger: the token was issued but the edge cannot see it yet (is a query server running?)',
          );
          printWithSecret(o, reply, { token: reply.result?.token }, 'token_secret');
          return exitCodes.usage;
        }
        return printWithSecret(o, reply, { token: reply.result?.token }, 'token_secret');
      });
    });
  token
    .command('revoke')
    .argument('<token>')
    .option('--json')
    .action((t: string, o: Json) =>
      withNats(async (nc, target) =>
        print(output, o, await internal(nc, target, 'auth.revoke_token', { token: t }), { token: t }),
      ),
    );

  edge
    .command('sign')
    .description('print the Authorization header for one request, e.g. curl -H "$(camledger edge sign …)"')
    .requiredOption('--consumer-key <key>')
    .requiredOption('--consumer-secret <secret>')
    .requiredOption('--token <token>')
    .requiredOption('--token-secret <secret>')
    .option('--data <form>', 'the form body the request will send (it is signed too)')
    .option('--sha256', 'sign with HMAC-SHA256 instead of HMAC-SHA1')
    .option('--json')
    .argument('<method>')
    .argument('<url>')
    .action(
      (
        method: string,
        url: string,
        o: Json & {
          consumerKey: string;
          consumerSecret: string;
          token: string;
          tokenSecret: string;
          data?: string;
          sha256?: boolean;
        },
      ) => {
        const header = authorizationHeader({
          method: method.toUpperCase(),
          url,
          ...(o.data ? { form: o.data } : {}),
          consumer: { key: o.consumerKey, secret: o.consumerSecret },
          token: { key: o.token, secret: o.tokenSecret },
          signatureMethod: o.sha256 ? 'HMAC-SHA256' : 'HMAC-SHA1',
        });
        output.out(o.json ? JSON.stringify({ Authorization: header }) : `Authorization: ${header}`);
        done(exitCodes.ok);
      },
    );
}
