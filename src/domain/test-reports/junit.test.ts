import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JunitError, type JunitReport, MAX_JUNIT_BYTES, MAX_JUNIT_CASES, parseJunit } from "./junit.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const fixture = (name: string): string =>
  readFileSync(path.join(ROOT, "test", "fixtures", "junit", name), "utf8");

function byName(report: JunitReport, name: string) {
  const found = report.cases.find((c) => c.name === name);
  if (!found) throw new Error(`no case ${name} in ${report.cases.map((c) => c.name).join(", ")}`);
  return found;
}

describe("parseJunit: vitest's junit reporter", () => {
  // A throwaway project run by the vitest installed here, so the report is what vitest writes today.
  // Its `it.skip` is on purpose: the report must carry a skipped case for the parser to read.
  const CART_TEST = `describe("cart", () => {
  it("adds an item", () => {
    expect(1 + 1).toBe(2);
  });
  it("applies the discount", () => {
    expect(90).toBe(80);
  });
  it.skip("ships abroad", () => {});
  it("talks to the payment service", () => {
    throw new TypeError("fetch failed: connect ECONNREFUSED 127.0.0.1:9");
  });
});
`;
  let dir: string;
  let xml: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "railyard-vitest-junit-"));
    // Its own config (globals, no imports) so vitest neither reads this repository's config nor
    // has to resolve the vitest package from the temporary folder.
    writeFileSync(
      path.join(dir, "vitest.config.mjs"),
      'export default { test: { globals: true, include: ["**/*.test.mjs"] } };\n',
    );
    writeFileSync(path.join(dir, "cart.test.mjs"), CART_TEST);
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST")));
    const run = promisify(execFile)(
      process.execPath,
      [
        path.join(ROOT, "node_modules", "vitest", "vitest.mjs"),
        "run",
        "--root",
        dir,
        "--config",
        path.join(dir, "vitest.config.mjs"),
        "--reporter=junit",
        `--outputFile=${path.join(dir, "junit.xml")}`,
      ],
      { cwd: dir, env, timeout: 60_000 },
    );
    // Two tests fail, so vitest exits with code 1.
    await expect(run).rejects.toMatchObject({ code: 1 });
    xml = readFileSync(path.join(dir, "junit.xml"), "utf8");
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("counts passed, failed and skipped tests and names the suite after <testsuites name>", () => {
    const report = parseJunit(xml);
    expect(report).toMatchObject({
      suite: "vitest tests",
      tests: 4,
      passed: 1,
      failed: 2,
      errored: 0,
      skipped: 1,
      flaky: 0,
      truncated: false,
    });
    expect(report.cases.map((c) => [c.suite, c.classname, c.name, c.status])).toEqual([
      ["cart.test.mjs", "cart.test.mjs", "cart > adds an item", "passed"],
      ["cart.test.mjs", "cart.test.mjs", "cart > applies the discount", "failed"],
      ["cart.test.mjs", "cart.test.mjs", "cart > ships abroad", "skipped"],
      ["cart.test.mjs", "cart.test.mjs", "cart > talks to the payment service", "failed"],
    ]);
  });

  it("keeps the failure messages; vitest writes a thrown error as a <failure>, not an <error>", () => {
    const report = parseJunit(xml);
    expect(byName(report, "cart > applies the discount").message).toBe(
      "expected 90 to be 80 // Object.is equality",
    );
    expect(byName(report, "cart > talks to the payment service").message).toBe(
      "fetch failed: connect ECONNREFUSED 127.0.0.1:9",
    );
    expect(byName(report, "cart > adds an item").message).toBeNull();
  });

  it("uses the suite given when pushing over the report's own name", () => {
    const report = parseJunit(xml, { suite: "unit" });
    expect(report.suite).toBe("unit");
    expect(report.cases[0]!.suite).toBe("cart.test.mjs");
  });
});

describe("parseJunit: Maven Surefire reports", () => {
  it("reads a case that passed on a rerun (flakyFailure) as flaky, whatever the suite's counters say", () => {
    // Surefire 3.0.2 wrote tests="3" failures="2" for this single flaky case.
    const report = parseJunit(fixture("TEST-io.olamy.FlakyTest.xml"));
    expect(report).toMatchObject({ suite: "io.olamy.FlakyTest", tests: 1, passed: 0, failed: 0, flaky: 1 });
    expect(report.cases).toEqual([
      {
        suite: "io.olamy.FlakyTest",
        classname: "io.olamy.FlakyTest",
        name: "testApp",
        status: "flaky",
        durationMs: 1,
        message: "obvious fail",
        reruns: 2,
      },
    ]);
    expect(report.durationMs).toBe(46);
  });

  it("reads a case that failed every rerun (failure + rerunFailure) as failed", () => {
    const report = parseJunit(fixture("TEST-io.olamy.AlwaysFailTest.xml"));
    expect(report).toMatchObject({ tests: 1, passed: 0, failed: 1, errored: 0, flaky: 0 });
    expect(report.cases[0]).toMatchObject({
      name: "testApp",
      status: "failed",
      message: "built to fail",
      reruns: 3,
    });
  });

  it("reads failures and errors; a case without classname takes its suite's name", () => {
    const report = parseJunit(fixture("TEST-com.shape.CircleTest.xml"));
    expect(report).toMatchObject({
      suite: "com.shape.CircleTest",
      tests: 8,
      passed: 6,
      failed: 1,
      errored: 1,
      skipped: 0,
      durationMs: 201,
    });
    expect(byName(report, "testRadius")).toMatchObject({
      classname: "com.shape.CircleTest",
      status: "failed",
      message: "expected:<20> but was:<10>",
      durationMs: 10,
    });
    expect(byName(report, "testProperties")).toMatchObject({ status: "errored", message: "/ by zero" });
  });
});

describe("parseJunit: pytest and jest-junit reports", () => {
  it("reads pytest's skipped and failed tests", () => {
    const report = parseJunit(fixture("pytest-junit.fail.xml"));
    expect(report).toMatchObject({
      suite: "pytest",
      tests: 5,
      passed: 3,
      failed: 1,
      skipped: 1,
      durationMs: 2481,
    });
    expect(byName(report, "test_get_available_devices")).toMatchObject({
      classname: "test.test_spark.SparkTests",
      status: "skipped",
      message: "get_available_devices only supported in Spark 3.0 and above",
    });
    const failed = byName(report, "test_rsh_events");
    expect(failed.status).toBe("failed");
    expect(failed.message).toMatch(/^self = <test_spark\.SparkTests testMethod=test_rsh_events>/);
    expect(failed.message).toContain("E   AssertionError: 143 != 0");
    expect(failed.durationMs).toBe(7541);
  });

  it("reads jest-junit's empty classname as the suite's name", () => {
    const report = parseJunit(fixture("jest-junit.xml"));
    expect(report).toMatchObject({ suite: "jest tests", tests: 2, passed: 2, durationMs: 929 });
    expect(report.cases.map((c) => `${c.classname} | ${c.name}`)).toEqual([
      "widget.test.js | Load widget via link",
      "widget.test.js | Mount iframe",
    ]);
  });
});

describe("parseJunit: structure and rerun semantics (samples written by us)", () => {
  const SUREFIRE_RERUNS = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.x.PaymentIT" time="1,234.5" tests="5" errors="2" skipped="1" failures="1">
  <testcase name="retriesThenPasses" classname="com.x.PaymentIT" time="0.5">
    <flakyError message="Connection reset" type="java.net.SocketException">
      <stackTrace><![CDATA[java.net.SocketException: Connection reset
\tat com.x.PaymentIT.retriesThenPasses(PaymentIT.java:10)]]></stackTrace>
    </flakyError>
  </testcase>
  <testcase name="neverConnects" classname="com.x.PaymentIT" time="2">
    <error message="Connection refused" type="java.net.ConnectException"/>
    <rerunError message="Connection refused" type="java.net.ConnectException"/>
  </testcase>
  <testcase name="assertsAfterCrash" classname="com.x.PaymentIT">
    <failure message="expected 2 but was 1"/>
    <error type="java.lang.NullPointerException"><![CDATA[
java.lang.NullPointerException: amount
\tat com.x.PaymentIT.assertsAfterCrash(PaymentIT.java:30)]]></error>
  </testcase>
  <testcase name="refund" classname="com.x.PaymentIT" time="0.1"><skipped message="refunds are off"/></testcase>
  <testcase name="rerunsThenFails" classname="com.x.PaymentIT" time="0.1">
    <failure message="timeout"/>
    <rerunFailure message="timeout"/>
    <rerunFailure message="timeout"/>
  </testcase>
</testsuite>`;

  it("applies Surefire's rerun elements and prefers an error to a failure", () => {
    const report = parseJunit(SUREFIRE_RERUNS);
    expect(report).toMatchObject({ tests: 5, passed: 0, failed: 1, errored: 2, skipped: 1, flaky: 1 });
    expect(report.cases.map((c) => [c.name, c.status, c.message, c.reruns])).toEqual([
      ["retriesThenPasses", "flaky", "Connection reset", 1],
      ["neverConnects", "errored", "Connection refused", 1],
      ["assertsAfterCrash", "errored", "java.lang.NullPointerException: amount", 0],
      ["refund", "skipped", "refunds are off", 0],
      ["rerunsThenFails", "failed", "timeout", 2],
    ]);
  });

  it("reads time in seconds with a grouping comma, and a missing time as 0", () => {
    const report = parseJunit(SUREFIRE_RERUNS);
    expect(report.durationMs).toBe(1_234_500);
    expect(byName(report, "assertsAfterCrash").durationMs).toBe(0);
    expect(byName(report, "neverConnects").durationMs).toBe(2000);
  });

  it("walks suites nested inside suites and names each case after its innermost suite", () => {
    const report = parseJunit(`<testsuites>
      <testsuite name="all">
        <testsuite name="api">
          <testcase classname="api.Orders" name="creates" time="0.25"/>
          <testsuite name="api.slow"><testcase classname="api.Orders" name="lists" time="1"/></testsuite>
        </testsuite>
        <testcase classname="Top" name="boots" time="0.75"/>
        <testsuite><testcase classname="X" name="in an unnamed suite"/></testsuite>
      </testsuite>
    </testsuites>`);
    expect(report.suite).toBe("all");
    expect(report.cases.map((c) => [c.suite, c.name])).toEqual([
      ["api", "creates"],
      ["api.slow", "lists"],
      ["all", "boots"],
      ["all", "in an unnamed suite"],
    ]);
    expect(report.durationMs).toBe(2000);
  });

  it("names a report without any suite name 'tests'", () => {
    const report = parseJunit('<testsuite><testcase name="a"/></testsuite>');
    expect(report.suite).toBe("tests");
    expect(report.cases[0]).toMatchObject({ suite: "tests", classname: "tests", status: "passed" });
  });

  it("decodes XML escapes and character references but leaves CDATA as written", () => {
    const report = parseJunit(`<testsuite name="a &amp; b">
      <testcase classname="c" name="&#x3C;init&#62; &quot;x&quot;"><failure message="expected &lt;1&gt;"/></testcase>
      <testcase classname="c" name="quoting html"><failure><![CDATA[got <!DOCTYPE html> &amp; more]]></failure></testcase>
    </testsuite>`);
    expect(report.suite).toBe("a & b");
    expect(report.cases[0]).toMatchObject({ name: '<init> "x"', message: "expected <1>" });
    expect(report.cases[1]!.message).toBe("got <!DOCTYPE html> &amp; more");
  });

  it("keeps messages to 500 characters", () => {
    const report = parseJunit(
      `<testsuite name="s"><testcase name="long"><failure message="${"x".repeat(2000)}"/></testcase></testsuite>`,
    );
    expect(report.cases[0]!.message).toHaveLength(500);
    expect(report.cases[0]!.message!.endsWith("…")).toBe(true);
  });

  it(`keeps at most ${MAX_JUNIT_CASES} cases, exact counts, and failures before passes`, () => {
    const passing = '<testcase classname="p" name="ok"/>'.repeat(MAX_JUNIT_CASES);
    const report = parseJunit(
      `<testsuite name="big">${passing}<testcase classname="p" name="late"><failure message="boom"/></testcase></testsuite>`,
    );
    expect(report).toMatchObject({
      tests: MAX_JUNIT_CASES + 1,
      passed: MAX_JUNIT_CASES,
      failed: 1,
      truncated: true,
    });
    expect(report.cases).toHaveLength(MAX_JUNIT_CASES);
    expect(report.cases.at(-1)).toMatchObject({ name: "late", status: "failed" });
  });
});

describe("parseJunit: what it refuses", () => {
  function refusal(xml: string): JunitError {
    try {
      parseJunit(xml);
    } catch (error) {
      expect(error).toBeInstanceOf(JunitError);
      return error as JunitError;
    }
    throw new Error("parseJunit accepted the input");
  }

  it("refuses an empty report", () => {
    expect(refusal("").message).toBe("the report is empty");
    expect(refusal(" \n\t").message).toBe("the report is empty");
  });

  it("refuses text that is not XML, with the line", () => {
    expect(refusal("Tests run: 3, Failures: 1").message).toMatch(/^not XML: .*\(line 1\)$/);
    const unclosed = refusal('<testsuite name="s">\n  <testcase name="a">\n</testsuite>');
    expect(unclosed.message).toMatch(/^not XML: .*testcase.*\(line 3\)$/);
    expect(unclosed.line).toBe(3);
  });

  it("refuses JSON and other XML, naming the root element", () => {
    expect(refusal('{"tests": 3}').message).toMatch(/^not XML/);
    expect(refusal('<?xml version="1.0"?><coverage line-rate="0.9"/>').message).toBe(
      "not a JUnit report: the root element is <coverage>, not <testsuites> or <testsuite>",
    );
  });

  it("refuses an HTML page, e.g. a proxy's error page", () => {
    expect(refusal("<!DOCTYPE html>\n<html><body><h1>502 Bad Gateway</h1></body></html>").message).toBe(
      "not a JUnit report: it is an HTML page (line 1)",
    );
    expect(refusal("<html><head><title>Sign in</title></head><body/></html>").message).toBe(
      "not a JUnit report: the root element is <html>, not <testsuites> or <testsuite>",
    );
  });

  it("refuses DOCTYPEs, so no entity is ever expanded (XXE, billion laughs)", () => {
    const xxe = refusal(`<?xml version="1.0"?>
<!DOCTYPE testsuite [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<testsuite name="s"><testcase name="&secret;"/></testsuite>`);
    expect(xxe.message).toMatch(/DOCTYPE declaration \(line 2\)/);
    const laughs = refusal(
      `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><testsuite name="&lol2;"/>`,
    );
    expect(laughs.message).toMatch(/DOCTYPE/);
    // A DOCTYPE after the root element is refused too; one quoted inside CDATA is only text.
    expect(
      refusal('<testsuite><!DOCTYPE x [<!ENTITY e "boom">]><testcase name="&e;"/></testsuite>').message,
    ).toMatch(/DOCTYPE/);
  });

  it("leaves undeclared entities as written", () => {
    const report = parseJunit('<testsuite name="s"><testcase name="a &nbsp; &e;"/></testsuite>');
    expect(report.cases[0]!.name).toBe("a &nbsp; &e;");
  });

  it("refuses a test case without a name, saying where it is", () => {
    const error = refusal(
      '<testsuite name="checkout">\n  <testcase name="a"/>\n  <testcase classname="x"/>\n</testsuite>',
    );
    expect(error.message).toBe('a <testcase> in suite "checkout" (line 3) has no name attribute');
    expect(error.line).toBe(3);
    expect(refusal('<testsuite name="s"><testcase name="  "/></testsuite>').message).toMatch(/has no name/);
  });

  it("refuses more than one root element", () => {
    expect(refusal('<testsuite name="a"/><testsuite name="b"/>').message).toBe(
      "not XML: more than one root element",
    );
  });

  it(`refuses reports larger than ${MAX_JUNIT_BYTES / 1024 / 1024} MiB, counting UTF-8 bytes`, () => {
    const head = '<testsuite name="s"><testcase name="a"><system-out>';
    const tail = "</system-out></testcase></testsuite>";
    const fits = head + "x".repeat(MAX_JUNIT_BYTES - head.length - tail.length) + tail;
    expect(parseJunit(fits).tests).toBe(1);
    expect(refusal(`${fits} `).message).toBe("the report is larger than 20 MiB");
    // 'é' is two bytes in UTF-8: under the limit in characters, over it in bytes.
    const wide = head + "é".repeat(MAX_JUNIT_BYTES / 2) + tail;
    expect(wide.length).toBeLessThan(MAX_JUNIT_BYTES);
    expect(refusal(wide).message).toBe("the report is larger than 20 MiB");
  });
});
