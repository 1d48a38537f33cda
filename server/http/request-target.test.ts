import { test } from "node:test";
import assert from "node:assert/strict";
import { oddTarget, withoutToken } from "./serve";

test("only origin-form request targets are taken", () => {
  for (const t of ["/", "/api/captures?x=1", "/captures/abc?filter=a%20b&token=T"]) assert.equal(oddTarget(t), false, t);
  for (const t of ["http://evil.com/?token=T", "*", "evil.com:443", "//evil.com/x", "/\\evil.com", "", undefined]) assert.equal(oddTarget(t), true, String(t));
});

test("the token parameter is taken out of the URL Next sees; the others stay as they were", () => {
  assert.equal(withoutToken("/?token=T"), "/");
  assert.equal(withoutToken("/captures/1?from=5&token=T&view=gaps"), "/captures/1?from=5&view=gaps");
  assert.equal(withoutToken("/captures/1?token=T&token=U"), "/captures/1");
  assert.equal(withoutToken("/captures/1?filter=proc.name%3Dnc"), "/captures/1?filter=proc.name%3Dnc", "untouched without a token");
  assert.equal(withoutToken("/x"), "/x");
});
