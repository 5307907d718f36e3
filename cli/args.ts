// A small, strict command-line parser: known flags only, values checked, errors that say what to type.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface FlagSpec {
  /** Takes a value (`--format json`); otherwise a boolean switch. */
  readonly value?: boolean;
  /** May be given several times; values are collected in order. */
  readonly repeatable?: boolean;
  /** Allowed values, when the set is closed. */
  readonly choices?: readonly string[];
}

export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, string[]>;
  readonly positionals: readonly string[];
}

export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>, command: string): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const flag = spec[name];
    if (!flag) throw new UsageError(`unknown option --${name}. Run "go-trace-lens ${command} --help" for the options.`);
    let value = 'true';
    if (flag.value) {
      if (eq !== -1) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw new UsageError(`--${name} needs a value.`);
      if (flag.choices && !flag.choices.includes(value)) {
        throw new UsageError(`--${name} must be one of ${flag.choices.join(', ')} (got "${value}").`);
      }
    } else if (eq !== -1) {
      throw new UsageError(`--${name} takes no value.`);
    }
    const list = flags.get(name) ?? [];
    if (list.length > 0 && !flag.repeatable) throw new UsageError(`--${name} was given more than once.`);
    list.push(value);
    flags.set(name, list);
  }
  return { flags, positionals };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.[0];
}

export function flagList(args: ParsedArgs, name: string): string[] {
  return args.flags.get(name) ?? [];
}

/** Parses a non-negative integer flag value. */
export function intFlag(args: ParsedArgs, name: string): number | undefined {
  const raw = flag(args, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number (got "${raw}").`);
  return Number(raw);
}
