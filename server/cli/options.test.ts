// How every command reads its options (cli/options.ts).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readOptions } from "./options";

const spec = { values: ["filter", "at"], flags: ["--pc", "-A", "-x"] };

test("values as --name VALUE or --name=VALUE, flags in order, the rest positional", () => {
  const o = readOptions(["f.scap", "--at", "5", "--filter=proc.name=a=b", "-x", "arg", "--pc", "-A", "--filter", ""], spec);
  assert.ok(!("error" in o));
  assert.deepEqual([...o.values], [["at", "5"], ["filter", ""]]);
  assert.deepEqual(o.flags, ["-x", "--pc", "-A"]);
  assert.deepEqual(o.positional, ["f.scap", "arg"]);
});

test("an unknown option and a value option without its value are refused", () => {
  assert.deepEqual(readOptions(["--bogus"], spec), { error: "unknown option --bogus" });
  assert.deepEqual(readOptions(["--pc=1"], spec), { error: "unknown option --pc=1" });
  assert.deepEqual(readOptions(["f", "--at"], spec), { error: "--at needs a value" });
  assert.deepEqual(readOptions(["-5"], spec), { values: new Map(), flags: [], positional: ["-5"] });
});
