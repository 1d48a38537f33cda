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
  if (rel.startsWith("/")) return normalizePath(rel);
  if (base === "") return rel;
  return normalizePath(`${base}/${rel}`);
}
