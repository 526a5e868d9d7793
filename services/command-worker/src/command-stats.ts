import { addProcessingTime } from './endpoint-stats.ts';

/**
 * Per-command counters for `$SRV.STATS`. The worker serves one wildcard
 * endpoint per channel, so the services API's own counters speak per
 * channel; these say the same per command, in the endpoint's `data`, named
 * and measured as the services API names its own (times in nanoseconds).
 */
export interface CommandFigures {
  num_requests: number;
  /** 1500s only: a rejection such as 4005 is an answer, not an error. */
  num_errors: number;
  processing_time: number;
  average_processing_time: number;
}

export interface ChannelData {
  readonly commands: Record<string, CommandFigures>;
  /** Requests on a subject that names no command of this channel (answered 16). */
  readonly unknown_actions: number;
}

/** Adds one answered request: how long it took from receipt to reply, and whether it was a 1500. */
export type CommandCounter = (tookMs: number, failed: boolean) => void;

export class CommandStats {
  private readonly channels = new Map<string, { commands: Map<string, CommandFigures>; unknown: number }>();

  /** The counter for one request to the endpoint on `channel` (its subject); `command` undefined for a subject no command has. */
  counter(channel: string, command: string | undefined): CommandCounter {
    const counts = this.channel(channel);
    if (command === undefined)
      return () => {
        counts.unknown += 1;
      };
    let figures = counts.commands.get(command);
    if (!figures) {
      figures = { num_requests: 0, num_errors: 0, processing_time: 0, average_processing_time: 0 };
      counts.commands.set(command, figures);
    }
    const f = figures;
    return (tookMs, failed) => {
      f.num_requests += 1;
      if (failed) f.num_errors += 1;
      addProcessingTime(f, tookMs);
    };
  }

  /** What STATS shows as the `data` of the endpoint serving `channel`: a copy, in command-name order. */
  of(channel: string): ChannelData {
    const counts = this.channel(channel);
    const names = [...counts.commands.keys()].sort();
    return {
      commands: Object.fromEntries(
        names.map((name) => [name, { ...(counts.commands.get(name) as CommandFigures) }]),
      ),
      unknown_actions: counts.unknown,
    };
  }

  private channel(name: string) {
    let counts = this.channels.get(name);
    if (!counts) {
      counts = { commands: new Map(), unknown: 0 };
      this.channels.set(name, counts);
    }
    return counts;
  }
}
