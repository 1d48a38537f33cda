// The command line's options, read one way for every command: `--name VALUE` or `--name=VALUE`
// for an option that takes a value, the flag alone for one that does not, anything else that
// starts with `--` refused, and the rest positional in order.

export interface OptionSpec {
  /** Options that take a value (without their leading dashes: "filter" for --filter). */
  values?: readonly string[];
  /** Options that stand alone, as written ("--explain", "--pc", "-A"). */
  flags?: readonly string[];
}

export interface Options {
  /** The last value given for each option. */
  values: Map<string, string>;
  /** The flags given, in order. */
  flags: string[];
  positional: string[];
}

/** The options of `args`, or the one-line reason they cannot be read. */
export function readOptions(args: readonly string[], spec: OptionSpec): Options | { error: string } {
  const out: Options = { values: new Map(), flags: [], positional: [] };
  const values = new Set(spec.values ?? []);
  const flags = new Set(spec.flags ?? []);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (flags.has(a)) {
      out.flags.push(a);
      continue;
    }
    if (!a.startsWith("--")) {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!values.has(name)) return { error: `unknown option ${a}` };
    if (eq >= 0) out.values.set(name, a.slice(eq + 1));
    else if (i + 1 < args.length) out.values.set(name, args[++i]);
    else return { error: `--${name} needs a value` };
  }
  return out;
}
