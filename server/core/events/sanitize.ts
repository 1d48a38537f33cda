// libsinsp's sanitize_string / strcpy_sanitized, in one place: what sysdig shows of a name it
// does not trust (a unix socket path, an fd's name, a string parameter).

/** Every character that is not printable ASCII removed (isprint in the C locale; the bytes of a
 *  multi-byte character, from 0x80 on as signed chars, are not printable). */
export function sanitized(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x20-\x7e]/.test(s) ? s.replace(/[^\x20-\x7e]/g, "") : s;
}
