/** A parsed command line: positional words and `--flag[=value]` / `--flag value` options. */
export interface Args {
  command: string | undefined;
  positional: string[];
  flags: Map<string, string | true>;
}

const VALUED = new Set(['target', 'source']);

export function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, value] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (value !== undefined) flags.set(name, value);
    else if (VALUED.has(name) && argv[i + 1] !== undefined) flags.set(name, argv[++i]!);
    else flags.set(name, true);
  }
  return { command: positional.shift(), positional, flags };
}

export const USAGE = `usage: pnpm ops <command> ...
  backup <topic>                         back up a topic now (then replicate and verify)
  list <topic> [--source primary|replica] list backups, newest first, with status
  verify <topic> <backupId|latest> [--source primary|replica]
  replicate <topic> <backupId|latest>
  restore <topic> <backupId|latest> [--target <topic>] [--source primary|replica] [--dry-run] [--confirm-production]
  prune [topic...]                       apply the retention policy now
Every command but list enqueues a job on the backup queue and follows it until it completes.`;
