// Path resolution the way sysdig shows it: `name=rel.txt(/srv/rel.txt)` and the names of files
// opened by relative path.

export const AT_FDCWD = -100;

/** Removes ".", "..", repeated and trailing slashes from an absolute path. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

/** `rel` resolved against the directory `base`. With no base known (a thread first seen in an
 *  event has no cwd), sysdig keeps the path as it was given. */
export function resolvePath(base: string, rel: string): string {
  if (rel.startsWith("/")) return dotted(normalizePath(rel));
  if (base === "") return dotted(rel);
  return dotted(normalizePath(`${base}/${rel}`));
}

/** A joined path as sinsp_utils::concatenate_paths leaves it: every byte that is not printable
 *  ASCII becomes '.'. Our strings are decoded UTF-8, so a character stands for as many dots as
 *  it had bytes (an invalid byte, decoded as U+FFFD, for one). */
export function dotted(path: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x20-\x7e]/.test(path)) return path;
  let out = "";
  for (const ch of path) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c < 0x80 || c === 0xfffd) out += ".";
    else out += ".".repeat(c < 0x800 ? 2 : c < 0x10000 ? 3 : 4);
  }
  return out;
}
