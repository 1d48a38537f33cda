// Path resolution the way sysdig shows it: `name=rel.txt(/srv/rel.txt)` and the names of files
// opened by relative path.

import { byteLength } from "./byte-strings";

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
 *  event has no cwd, a directory fd with no name), sysdig's concatenate_paths joins nothing to
 *  it: the path is only cleaned of its "." and ".." parts, and stays relative (`../up/one` ->
 *  `up/one`; "" stays ""). */
export function resolvePath(base: string, rel: string): string {
  if (rel.startsWith("/")) return dotted(normalizePath(rel));
  // concatenate_paths appends to the base as it is: a base that is not absolute (none known, a
  // directory fd named after a socket) leaves the result relative.
  if (!base.startsWith("/")) return dotted(normalizePath(`/${base}/${rel}`).slice(1));
  return dotted(normalizePath(`${base}/${rel}`));
}

/** A joined path as sinsp_utils::concatenate_paths leaves it: every byte that is not printable
 *  ASCII becomes '.'. Our strings are decoded UTF-8, so a character stands for as many dots as
 *  it had bytes (an escaped invalid byte for one, see byte-strings.ts). */
export function dotted(path: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x20-\x7e]/.test(path)) return path;
  let out = "";
  for (const ch of path) {
    const c = ch.codePointAt(0)!;
    out += c >= 0x20 && c < 0x7f ? ch : ".".repeat(byteLength(c));
  }
  return out;
}
